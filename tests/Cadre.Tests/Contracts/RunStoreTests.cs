using Cadre.Postgres;
using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Cadre.Workspaces;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory run store passes the contract.</summary>
public sealed class InMemoryRunStoreTests : PendingToolCallContract
{
    protected override Task<IRunStore> CreateStoreAsync() => Task.FromResult<IRunStore>(new InMemoryWorkspace());
}

/// <summary>The SQLite run store passes the contract on a real file.</summary>
public sealed class SqliteRunStoreTests : PendingToolCallContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IRunStore> CreateStoreAsync() => (await SqliteWorkspace.OpenAsync(_dir.Path)).RunStore;

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL run store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRunStoreTests(PostgresServer server) : PendingToolCallContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IRunStore> CreateStoreAsync() => await PostgresRunStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
