using Cadre.Orleans;
using Cadre.Postgres;
using Cadre.Tests.Support;
using Npgsql;

namespace Cadre.Tests.Orleans;

/// <summary>The clustering tables beside a real PostgreSQL workspace: applied twice and by two hosts at once, they
/// leave the workspace usable and hold every query Orleans' ADO.NET clustering loads.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSchemaTests(PostgresServer server)
{
    [Fact]
    public async Task The_schema_applies_again_and_concurrently_beside_the_workspace_and_holds_every_clustering_query()
    {
        var url = await server.CreateDatabaseAsync();
        await using (var first = await PostgresWorkspace.OpenAsync(url))
        {
            await Task.WhenAll(ClusterSchema.EnsureAsync(url, CancellationToken.None), ClusterSchema.EnsureAsync(url, CancellationToken.None));
            await ClusterSchema.EnsureAsync(url, CancellationToken.None);
        }

        await using var reopened = await PostgresWorkspace.OpenAsync(url);
        Assert.Empty(await reopened.Runs.ListRunsAsync());
        await using var connection = new NpgsqlConnection(ClusterSchema.ConnectionString(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey;", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            ["CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey",
             "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey"],
            keys);
    }

    [Fact]
    public void A_cluster_needs_a_postgres_workspace()
    {
        var refused = Assert.Throws<ArgumentException>(() => ClusterSchema.ConnectionString("/tmp/some-folder"));
        Assert.Contains("postgres://", refused.Message, StringComparison.Ordinal);
    }
}
