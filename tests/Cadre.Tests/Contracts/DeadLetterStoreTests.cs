using Cadre.Postgres;
using Cadre.Resilience;
using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory dead-letter store passes the contract.</summary>
public sealed class InMemoryDeadLetterStoreTests : DeadLetterStoreContract
{
    protected override Task<IDeadLetterStore> CreateStoreAsync() => Task.FromResult<IDeadLetterStore>(new InMemoryDeadLetterStore());
}

/// <summary>The SQLite dead-letter store passes the contract on a real file.</summary>
public sealed class SqliteDeadLetterStoreTests : DeadLetterStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IDeadLetterStore> CreateStoreAsync() => await SqliteDeadLetterStore.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL dead-letter store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeadLetterStoreTests(PostgresServer server) : DeadLetterStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IDeadLetterStore> CreateStoreAsync() => await PostgresDeadLetterStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
