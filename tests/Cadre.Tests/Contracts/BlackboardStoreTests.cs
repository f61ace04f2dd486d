using Cadre.Memory.Shared;
using Cadre.Postgres.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory blackboard store passes the contract.</summary>
public sealed class InMemoryBlackboardStoreTests : BlackboardStoreContract
{
    protected override Task<IBlackboardStore> CreateStoreAsync() => Task.FromResult<IBlackboardStore>(new InMemoryBlackboardStore());
}

/// <summary>The PostgreSQL blackboard store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBlackboardStoreTests(PostgresServer server) : BlackboardStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IBlackboardStore> CreateStoreAsync() => await PostgresBlackboardStore.OpenAsync(await _databases.OpenAsync());

    // Each writer opens the database on its own, as another host would.
    protected override async Task<IBlackboardStore> OpenAnotherAsync() => await PostgresBlackboardStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
