using Cadre.Memory.Knowledge;
using Cadre.Postgres.Memory;
using Cadre.Sqlite;
using Cadre.Sqlite.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory knowledge store passes the contract.</summary>
public sealed class InMemoryKnowledgeStoreTests : KnowledgeStoreContract
{
    protected override Task<IKnowledgeStore> CreateStoreAsync() => Task.FromResult<IKnowledgeStore>(new InMemoryKnowledgeStore());
}

/// <summary>The SQLite knowledge store passes the contract on a real file.</summary>
public sealed class SqliteKnowledgeStoreTests : KnowledgeStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IKnowledgeStore> CreateStoreAsync() => await SqliteKnowledgeStore.OpenAsync(await SqliteDatabase.OpenAsync(_dir.Combine("cadre.db")));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The PostgreSQL knowledge store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresKnowledgeStoreTests(PostgresServer server) : KnowledgeStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IKnowledgeStore> CreateStoreAsync() => await PostgresKnowledgeStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
