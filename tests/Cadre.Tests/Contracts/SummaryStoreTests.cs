using Cadre.Conversations;
using Cadre.Postgres.Memory;
using Cadre.Sqlite;
using Cadre.Sqlite.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory summary store passes the contract.</summary>
public sealed class InMemorySummaryStoreTests : SummaryStoreContract
{
    protected override Task<ISummaryStore> CreateStoreAsync() => Task.FromResult<ISummaryStore>(new InMemorySummaryStore());
}

/// <summary>The SQLite summary store passes the contract on a real file.</summary>
public sealed class SqliteSummaryStoreTests : SummaryStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<ISummaryStore> CreateStoreAsync() => await SqliteSummaryStore.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL summary store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSummaryStoreTests(PostgresServer server) : SummaryStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<ISummaryStore> CreateStoreAsync() => await PostgresSummaryStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
