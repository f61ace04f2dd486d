using System.Text.Json.Nodes;
using Cadre.Memory;
using Cadre.Memory.Shared;
using Cadre.Postgres.Memory;
using Cadre.Tests.Support;
using Npgsql;

namespace Cadre.Tests.Memory;

/// <summary>The PostgreSQL blackboard's audit trail cannot be rewritten, not even with SQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBlackboardAuditTests(PostgresServer server) : IAsyncLifetime
{
    private readonly PostgresDatabases _databases = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task The_audit_trail_is_append_only()
    {
        var database = await _databases.OpenAsync();
        var board = new Blackboard(await PostgresBlackboardStore.OpenAsync(database), new MemoryScope("acme"), BlackboardActor.Operator());
        await board.WriteAsync("shared", "k", JsonValue.Create(1));
        await using var connection = await database.OpenConnectionAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("UPDATE blackboard_audit SET actor = 'someone else';", connection).ExecuteNonQueryAsync());
        var delete = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("DELETE FROM blackboard_audit;", connection).ExecuteNonQueryAsync());
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("TRUNCATE blackboard_audit;", connection).ExecuteNonQueryAsync());

        Assert.All([update, delete, truncate], e => Assert.Contains("append-only", e.MessageText));
        Assert.Single(await board.AuditAsync());
    }
}
