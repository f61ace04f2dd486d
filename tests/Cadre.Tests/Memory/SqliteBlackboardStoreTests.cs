using System.Text.Json.Nodes;
using Cadre.Memory.Shared;
using Cadre.Sqlite.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Cadre.Tests.Memory;

/// <summary>The SQLite blackboard store passes the contract on a real file, with every concurrent writer on its own
/// connection pool, and its audit trail cannot be rewritten.</summary>
public sealed class SqliteBlackboardStoreTests : BlackboardStoreContract
{
    private readonly TempDatabase _file = new();

    private string File => _file.File;

    protected override async Task<IBlackboardStore> CreateStoreAsync() => await SqliteBlackboardStore.OpenAsync(await _file.OpenAsync());

    // Each writer opens the file on its own; every concurrent write runs on its own SQLite connection.
    protected override Task<IBlackboardStore> OpenAnotherAsync() => CreateStoreAsync();

    public override Task DisposeAsync()
    {
        _file.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task The_audit_trail_is_append_only()
    {
        await Board(Billing).WriteAsync("shared", "k", JsonValue.Create(1));
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();

        command.CommandText = "UPDATE blackboard_audit SET actor = 'someone else';";
        var update = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        command.CommandText = "DELETE FROM blackboard_audit;";
        var delete = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("billing", Assert.Single(await Board(BlackboardActor.Operator()).AuditAsync()).Actor);
    }
}
