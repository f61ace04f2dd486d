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
