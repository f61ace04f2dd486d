using Cadre.Postgres;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Security;

/// <summary>The PostgreSQL limit store passes the contract on a real server: limits and locks hold across hosts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresToolLimitStoreTests(PostgresServer server) : ToolLimitStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IToolLimitStore> OpenAsync() => await PostgresToolLimitStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
