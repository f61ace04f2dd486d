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
