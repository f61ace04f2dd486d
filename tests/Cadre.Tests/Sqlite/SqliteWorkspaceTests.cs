using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Sqlite;

public sealed class SqliteWorkspaceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_damaged_file_is_a_clear_error_and_is_left_untouched()
    {
        var file = _dir.Combine(SqliteWorkspace.FileName);
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 251)).ToArray();
        await File.WriteAllBytesAsync(file, garbage);

        var error = await Assert.ThrowsAsync<WorkspaceException>(() => SqliteWorkspace.OpenAsync(_dir.Path));

        Assert.Contains("is damaged or not a database", error.Message, StringComparison.Ordinal);
        Assert.Contains("it was left untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Another_applications_sqlite_file_is_refused_and_left_untouched()
    {
        var file = _dir.Combine(SqliteWorkspace.FileName);
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE accounts(id INTEGER); INSERT INTO accounts VALUES (7);";
            await command.ExecuteNonQueryAsync();
        }

        var before = await File.ReadAllBytesAsync(file);
        var error = await Assert.ThrowsAsync<WorkspaceException>(() => SqliteWorkspace.OpenAsync(_dir.Path));

        Assert.Contains("is a SQLite file but not a Cadre workspace", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task A_new_workspace_opened_by_many_at_once_is_never_taken_for_another_applications_file()
    {
        // As several command-line processes starting together on a fresh folder do: while one creates the tables,
        // the others must see a workspace being created, not "a SQLite file but not a Cadre workspace".
        for (var round = 0; round < 10; round++)
        {
            var folder = _dir.Combine($"fresh-{round}");
            var opening = Enumerable.Range(0, 8).Select(_ => Task.Run(() => SqliteWorkspace.OpenAsync(folder))).ToArray();

            var workspaces = await Task.WhenAll(opening);

            foreach (var workspace in workspaces)
            {
                Assert.Empty(await workspace.Runs.ListRunsAsync(10));
                await workspace.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_file_written_by_a_newer_cadre_is_refused()
    {
        await (await SqliteWorkspace.OpenAsync(_dir.Path)).DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={_dir.Combine(SqliteWorkspace.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE cadre_schema SET version = 99 WHERE component = 'runs';";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<WorkspaceException>(() => SqliteWorkspace.OpenAsync(_dir.Path));
        Assert.Matches(@"the runs tables are at version 99, newer than this Cadre knows \(\d+\)\. Upgrade Cadre\.", error.Message);
    }

    [Fact]
    public async Task A_workspace_path_that_is_a_file_is_refused()
    {
        var file = _dir.Write("not-a-folder", "x");
        var error = await Assert.ThrowsAsync<WorkspaceException>(() => SqliteWorkspace.OpenAsync(file));
        Assert.Contains("is a file; a workspace is a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_workspace_handles_on_one_file_see_each_others_writes()
    {
        await using var first = await SqliteWorkspace.OpenAsync(_dir.Path);
        await using var second = await SqliteWorkspace.OpenAsync(_dir.Path);
        var run = new RunRecord { Id = "r1", Workflow = "sequential", Task = "t", StartedAt = DateTimeOffset.UnixEpoch };
        await first.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });

        var seen = await second.Runs.GetRunAsync("r1");
        Assert.Equal(("r1", RunStatus.Running), (seen?.Id, seen?.Status));
        await Assert.ThrowsAsync<SqliteException>(() => second.Runs.CreateRunAsync(run, [], new WorkflowState { Task = "t" }));
    }

    [Fact]
    public async Task The_ledger_keeps_the_first_record_of_a_key()
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var at = DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await workspace.Ledger.RecordAsync(new ToolLedgerEntry("r/1/0", "send_email", "{}", "sent once", ToolCallStatus.Succeeded, at));
        await workspace.Ledger.RecordAsync(new ToolLedgerEntry("r/1/0", "send_email", "{}", "sent twice", ToolCallStatus.Succeeded, at));

        var entry = await workspace.Ledger.FindAsync("r/1/0");
        Assert.Equal(("send_email", "sent once", at), (entry?.Tool, entry?.Result, entry?.RecordedAt));
        Assert.Null(await workspace.Ledger.FindAsync("r/1/1"));
    }
}
