using Cadre.Testing.Contracts;
using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Security;

public sealed class SqliteToolLimitStoreTests : ToolLimitStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IToolLimitStore> OpenAsync() =>
        await SqliteToolLimitStore.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
