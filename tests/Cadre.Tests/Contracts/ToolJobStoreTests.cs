using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory tool job store passes the contract.</summary>
public sealed class InMemoryToolJobStoreTests : ToolJobStoreContract
{
    protected override Task<IToolJobStore> CreateStoreAsync() => Task.FromResult<IToolJobStore>(new InMemoryToolJobStore());
}

/// <summary>The SQLite tool job store passes the contract on a real file.</summary>
public sealed class SqliteToolJobStoreTests : ToolJobStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IToolJobStore> CreateStoreAsync() => await SqliteToolJobStore.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}
