using Cadre.Postgres;
using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory audit log passes the contract.</summary>
public sealed class InMemoryAuditLogTests : AuditLogContract
{
    protected override Task<IAuditLog> CreateStoreAsync() => Task.FromResult<IAuditLog>(new InMemoryAuditLog());
}

/// <summary>The SQLite audit log passes the contract on a real file.</summary>
public sealed class SqliteAuditLogTests : AuditLogContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IAuditLog> CreateStoreAsync() => await SqliteAuditLog.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL audit log passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditLogTests(PostgresServer server) : AuditLogContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IAuditLog> CreateStoreAsync() => await PostgresAuditLog.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
