using Cadre.Runs;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Testing.Contracts;

/// <summary>
/// What every <see cref="IRunSearch"/> must do: pages of runs newest first, filtered by status and by text in the id or
/// the task (ignoring case, with <c>%</c> and <c>_</c> as plain characters), each page with the total. A store author
/// derives a class that opens an empty workspace.
/// </summary>
public abstract class RunSearchContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    protected IWorkspace Workspace { get; private set; } = null!;

    /// <summary>Opens an empty workspace that can search its runs.</summary>
    protected abstract Task<IWorkspace> CreateWorkspaceAsync();

    public async Task InitializeAsync() => Workspace = await CreateWorkspaceAsync();

    public virtual async Task DisposeAsync() => await Workspace.DisposeAsync();

    private IRunSearch Search => Workspace.RunSearch ?? throw new InvalidOperationException("The workspace must search its runs.");

    [Fact]
    public async Task Pages_runs_newest_first_and_filters_by_status_and_text_in_id_or_task()
    {
        await AddRunsAsync(7);

        Check(await Search.PageAsync(null, null, 0, 3), 7, ["r6", "r5", "r4"]);
        Check(await Search.PageAsync(null, null, 6, 3), 7, ["r0"]);
        Check(await Search.PageAsync(RunStatus.Failed, null, 1, 5), 3, ["r3", "r1"]);
        Check(await Search.PageAsync(RunStatus.Completed, "question", 1, 2), 4, ["r4", "r2"]);
        Check(await Search.PageAsync(null, "inv-7", 0, 5), 1, ["r3"]);
        Check(await Search.PageAsync(null, "100%", 0, 5), 1, ["r3"]);
        Check(await Search.PageAsync(null, "R5", 0, 5), 1, ["r5"]);
        Assert.Equal(0, (await Search.PageAsync(null, "_", 0, 5)).Total);
        Assert.Equal(0, (await Search.PageAsync(RunStatus.Running, null, 0, 5)).Total);
    }

    [Fact]
    public async Task A_limit_of_zero_counts_without_listing_and_a_page_past_the_end_is_empty()
    {
        await AddRunsAsync(4);

        Check(await Search.PageAsync(null, null, 0, 0), 4, []);
        Check(await Search.PageAsync(null, null, 10, 5), 4, []);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Search.PageAsync(null, null, -1, 5));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Search.PageAsync(null, null, 0, -1));
    }

    [Fact]
    public async Task Runs_that_started_at_the_same_moment_come_in_a_stable_order()
    {
        foreach (var id in new[] { "b", "a", "c" })
        {
            var run = new RunRecord { Id = id, Workflow = "sequential", Task = "same time", StartedAt = Start };
            await Workspace.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, run.Task)], new WorkflowState { Task = run.Task, NextAgent = "a" });
        }

        Check(await Search.PageAsync(null, null, 0, 2), 3, ["c", "b"]);
        Check(await Search.PageAsync(null, null, 2, 2), 3, ["a"]);
    }

    /// <summary>Runs r0..r(n-1), a minute apart; even ones completed, odd ones failed; r3's task is "100% refund for INV-7".</summary>
    private async Task AddRunsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var task = i == 3 ? "100% refund for INV-7" : $"question {i}";
            var run = new RunRecord { Id = $"r{i}", Workflow = "sequential", Task = task, StartedAt = Start.AddMinutes(i) };
            await Workspace.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, task)], new WorkflowState { Task = task, NextAgent = "a" });
            await Workspace.Runs.UpdateRunAsync(run with { Status = i % 2 == 0 ? RunStatus.Completed : RunStatus.Failed }, 0);
        }
    }

    private static void Check(RunSearchPage page, int total, string[] ids)
    {
        Assert.Equal(ids, page.RunIds);
        Assert.Equal(total, page.Total);
    }
}
