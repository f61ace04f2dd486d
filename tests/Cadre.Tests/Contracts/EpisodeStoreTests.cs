using Cadre.Memory.Episodes;
using Cadre.Postgres.Memory;
using Cadre.Sqlite;
using Cadre.Sqlite.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory episode store passes the contract.</summary>
public sealed class InMemoryEpisodeStoreTests : EpisodeStoreContract
{
    protected override Task<IEpisodeStore> CreateStoreAsync() => Task.FromResult<IEpisodeStore>(new InMemoryEpisodeStore());
}

/// <summary>The SQLite episode store passes the contract on a real file.</summary>
public sealed class SqliteEpisodeStoreTests : EpisodeStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IEpisodeStore> CreateStoreAsync() => await SqliteEpisodeStore.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL episode store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEpisodeStoreTests(PostgresServer server) : EpisodeStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IEpisodeStore> CreateStoreAsync() => await PostgresEpisodeStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
