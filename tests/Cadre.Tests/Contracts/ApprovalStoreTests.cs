using Cadre.Postgres;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory approval store passes the contract.</summary>
public sealed class InMemoryApprovalStoreTests : ApprovalStoreContract
{
    protected override Task<IApprovalStore> CreateStoreAsync() => Task.FromResult<IApprovalStore>(new InMemoryApprovalStore());
}

/// <summary>The SQLite approval store passes the contract on a real file, and a second connection (another process)
/// sees the first one's requests.</summary>
public sealed class SqliteApprovalStoreTests : ApprovalStoreContract
{
    private readonly TempDatabase _file = new();

    protected override async Task<IApprovalStore> CreateStoreAsync() => await Cadre.Sqlite.SqliteApprovalStore.OpenAsync(await _file.OpenAsync());

    [Fact]
    public async Task A_request_outlives_the_store_that_made_it()
    {
        await Store.RequestAsync(Request("ap-1"));

        var reopened = await Cadre.Sqlite.SqliteApprovalStore.OpenAsync(await _file.OpenAsync());

        Assert.Equal(ApprovalStatus.Pending, (await reopened.GetAsync("ap-1"))?.Status);
    }

    public override Task DisposeAsync()
    {
        _file.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL approval store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApprovalStoreTests(PostgresServer server) : ApprovalStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IApprovalStore> CreateStoreAsync() => await PostgresApprovalStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
