using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Workspaces;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory workspace's run search passes the contract.</summary>
public sealed class InMemoryRunSearchTests : RunSearchContract
{
    protected override Task<IWorkspace> CreateWorkspaceAsync() => Task.FromResult<IWorkspace>(new InMemoryWorkspace());
}

/// <summary>The SQLite run search passes the contract on a real file.</summary>
public sealed class SqliteRunSearchTests : RunSearchContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IWorkspace> CreateWorkspaceAsync() => await SqliteWorkspace.OpenAsync(_dir.Path);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The PostgreSQL run search passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRunSearchTests(PostgresServer server) : RunSearchContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IWorkspace> CreateWorkspaceAsync() => await _databases.OpenWorkspaceAsync();

    public override async Task DisposeAsync()
    {
        // The workspace is closed with the test's databases.
        await _databases.DisposeAsync();
    }
}
