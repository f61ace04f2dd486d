using Cadre.Postgres;
using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory tool ledger passes the contract.</summary>
public sealed class InMemoryToolLedgerTests : ToolLedgerContract
{
    protected override Task<IToolLedger> CreateStoreAsync() => Task.FromResult<IToolLedger>(new InMemoryToolLedger());
}

/// <summary>The SQLite tool ledger passes the contract on a real file.</summary>
public sealed class SqliteToolLedgerTests : ToolLedgerContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IToolLedger> CreateStoreAsync() => await SqliteToolLedger.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

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

    // Each writer opens the database on its own, as another host would.
    protected override async Task<IToolLedger> OpenAnotherAsync() => await PostgresToolLedger.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
