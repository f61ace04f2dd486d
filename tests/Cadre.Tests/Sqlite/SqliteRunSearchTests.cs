using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Sqlite;

/// <summary>A page of runs found in the workspace file: newest first, by status and text, with the total.</summary>
public sealed class SqliteRunSearchTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pages_runs_newest_first_and_filters_by_status_and_text_in_id_or_task()
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 7; i++)
        {
            var task = i == 3 ? "100% refund for INV-7" : $"question {i}";
            var run = new RunRecord { Id = $"r{i}", Workflow = "sequential", Task = task, StartedAt = start.AddMinutes(i) };
            await workspace.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, task)], new WorkflowState { Task = task, NextAgent = "a" });
            await workspace.Runs.UpdateRunAsync(run with { Status = i % 2 == 0 ? RunStatus.Completed : RunStatus.Failed }, 0);
        }

        var search = new SqliteRunSearch(workspace.Database);

        Check(await search.PageAsync(null, null, 0, 3), 7, ["r6", "r5", "r4"]);
        Check(await search.PageAsync(null, null, 6, 3), 7, ["r0"]);
        Check(await search.PageAsync("Failed", null, 1, 5), 3, ["r3", "r1"]);
        Check(await search.PageAsync(null, "inv-7", 0, 5), 1, ["r3"]);
        Check(await search.PageAsync(null, "100%", 0, 5), 1, ["r3"]);
        Check(await search.PageAsync(null, "r5", 0, 5), 1, ["r5"]);
        Assert.Equal(0, (await search.PageAsync(null, "_", 0, 5)).Total);
    }

    private static void Check(RunSearchPage page, int total, string[] ids)
    {
        Assert.Equal(ids, page.RunIds);
        Assert.Equal(total, page.Total);
    }
}
