using Cadre.Postgres;
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

/// <summary>The PostgreSQL tool job store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresToolJobStoreTests(PostgresServer server) : ToolJobStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IToolJobStore> CreateStoreAsync() => await PostgresToolJobStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
