using Cadre.Postgres;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory tool ledger passes the contract.</summary>
public sealed class InMemoryToolLedgerTests : ToolLedgerContract
{
    private readonly InMemoryWorkspace _workspace = new();

    protected override Task<IToolLedger> CreateStoreAsync() => Task.FromResult(_workspace.Ledger);

    protected override Task<IRunStore> OpenRunsAsync() => Task.FromResult<IRunStore>(_workspace);
}

/// <summary>The SQLite tool ledger passes the contract on a real file.</summary>
public sealed class SqliteToolLedgerTests : ToolLedgerContract
{
    private readonly TempDirectory _dir = new();
    private SqliteDatabase? _database;

    protected override async Task<IToolLedger> CreateStoreAsync() => await SqliteToolLedger.OpenAsync(_database = await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    protected override async Task<IRunStore> OpenRunsAsync() => await SqliteRunStore.OpenAsync(_database!);

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL tool ledger passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresToolLedgerTests(PostgresServer server) : ToolLedgerContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IToolLedger> CreateStoreAsync() => await PostgresToolLedger.OpenAsync(await _databases.OpenAsync());

    protected override async Task<IRunStore> OpenRunsAsync() => await PostgresRunStore.OpenAsync(await _databases.OpenAsync());

    // Each writer opens the database on its own, as another host would.
    protected override async Task<IToolLedger> OpenAnotherAsync() => await PostgresToolLedger.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
