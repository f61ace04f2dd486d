using System.Text.Json;
using Cadre.Agents;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>Long-running tools: the call returns a job handle at once, the result reaches the agent when ready, jobs
/// live in the store and are cancelled with their run.</summary>
public sealed class ToolJobTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TaskCompletionSource<string> _report = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public void Dispose() => _dir.Dispose();

    private AIFunction Export() => new ToolDescriptor { LongRunning = true, SideEffects = SideEffects.Reversible }.Attach(AIFunctionFactory.Create(async (string month, CancellationToken ct) =>
    {
        Interlocked.Increment(ref _runs);
        return await _report.Task.WaitAsync(ct) + " for " + month;
    }, "export_report", "Export the monthly report."));

    private static async Task<string> Status(GovernedToolInvoker invoker, AIFunction statusTool, string jobId, AgentContext context) =>
        (await invoker.InvokeAsync(ToolCalls.Request(statusTool.Name, JsonSerializer.Serialize(new { job_id = jobId }), [statusTool], context, 9), CancellationToken.None)).Result;

    [Fact]
    public async Task The_call_returns_a_job_at_once_and_the_result_reaches_the_agent_when_ready()
    {
        await using var workspace = new InMemoryWorkspace();
        var invoker = new GovernedToolInvoker();
        var export = Export();
        var status = invoker.CreateJobStatusTool();
        var context = ToolCalls.Run("reporter", "run-7", 2, workspace);

        var started = await invoker.InvokeAsync(ToolCalls.Request("export_report", """{"month":"2026-10"}""", [export], context), CancellationToken.None);

        Assert.Equal(ToolCallStatus.Started, started.Status);
        var jobId = ToolJob.IdFor("run-7/2/0");
        Assert.Contains($"Started job {jobId}", started.Result);
        Assert.Contains("\"status\":\"running\"", await Status(invoker, status, jobId, context));
        var updates = invoker.CreateJobUpdates();
        var before = await updates.ProvideAsync(new AgentContextRequest(context, "", []), CancellationToken.None);
        Assert.Contains($"{jobId} (export_report): still running", Assert.Single(before).Text);

        _report.SetResult("report.csv");
        await invoker.WhenJobsIdleAsync();

        var done = await Status(invoker, status, jobId, context);
        Assert.Contains("\"status\":\"succeeded\"", done);
        Assert.Contains("report.csv for 2026-10", done);
        var after = await updates.ProvideAsync(new AgentContextRequest(context, "", []), CancellationToken.None);
        Assert.Contains($"{jobId} (export_report): succeeded: report.csv for 2026-10", Assert.Single(after).Text);
        Assert.Empty(await updates.ProvideAsync(new AgentContextRequest(context with { Agent = "other" }, "", []), CancellationToken.None));
        Assert.Equal($"job {jobId}", (await workspace.Audit.QueryAsync(new AuditQuery { Tool = "export_report" })).Single().Detail);
    }

    [Fact]
    public async Task Asking_about_an_unknown_job_lists_the_runs_jobs()
    {
        await using var workspace = new InMemoryWorkspace();
        var invoker = new GovernedToolInvoker();
        var status = invoker.CreateJobStatusTool();

        var record = await invoker.InvokeAsync(ToolCalls.Request("job_status", """{"job_id":"job-nope"}""", [status], ToolCalls.Run(workspace: workspace)), CancellationToken.None);

        Assert.Equal(ToolCallStatus.InvalidArguments, record.Status);
        Assert.Contains("there is no job 'job-nope' in this run. Jobs: none.", record.Result);
    }

    [Fact]
    public async Task A_job_is_cancelled_with_its_run()
    {
        await using var workspace = new InMemoryWorkspace();
        var invoker = new GovernedToolInvoker();
        using var run = new CancellationTokenSource();
        var context = ToolCalls.Run("reporter", "run-8", 1, workspace);

        var started = await invoker.InvokeAsync(ToolCalls.Request("export_report", """{"month":"2026-10"}""", [Export()], context), run.Token);
        await run.CancelAsync();
        await invoker.WhenJobsIdleAsync();

        Assert.Equal(ToolCallStatus.Started, started.Status);
        var job = Assert.Single(await workspace.Jobs.ListAsync("run-8"));
        Assert.Equal(ToolJobStatus.Cancelled, job.Status);
        Assert.Contains("cancelled with its run", job.Result);
    }

    [Fact]
    public async Task Jobs_survive_in_the_workspace_and_a_resumed_run_gets_the_result_without_running_it_again()
    {
        var export = Export();
        var context = (SqliteWorkspace w) => ToolCalls.Run("reporter", "run-9", 3, w);
        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre")))
        {
            var invoker = new GovernedToolInvoker();
            await invoker.InvokeAsync(ToolCalls.Request("export_report", """{"month":"2026-11"}""", [export], context(workspace)), CancellationToken.None);
            _report.SetResult("report.csv");
            await invoker.WhenJobsIdleAsync();
        }

        await using (var reopened = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre")))
        {
            var job = Assert.Single(await reopened.Jobs.ListAsync("run-9"));
            Assert.Equal((ToolJobStatus.Succeeded, "report.csv for 2026-11", "reporter", 3), (job.Status, job.Result, job.Agent, job.Step));

            var again = await new GovernedToolInvoker().InvokeAsync(ToolCalls.Request("export_report", """{"month":"2026-11"}""", [export], context(reopened)), CancellationToken.None);
            Assert.Equal((ToolCallStatus.Replayed, "report.csv for 2026-11"), (again.Status, again.Result));
            Assert.Equal(1, _runs);
        }
    }

    [Fact]
    public async Task A_job_left_running_by_a_stopped_process_is_started_again_when_asked_about()
    {
        await using var workspace = new InMemoryWorkspace();
        var key = "run-10/1/0";
        await workspace.Jobs.AddAsync(new ToolJob
        {
            Id = ToolJob.IdFor(key), Key = key, RunId = "run-10", Step = 1, Agent = "reporter", Tool = "export_report",
            Arguments = """{"month":"2026-09"}""", StartedAt = DateTimeOffset.UnixEpoch,
        });
        var invoker = new GovernedToolInvoker();
        var status = invoker.CreateJobStatusTool();
        var context = ToolCalls.Run("reporter", "run-10", 4, workspace);
        _report.SetResult("late.csv");

        var asked = await invoker.InvokeAsync(ToolCalls.Request("job_status", JsonSerializer.Serialize(new { job_id = ToolJob.IdFor(key) }), [status, Export()], context), CancellationToken.None);
        await invoker.WhenJobsIdleAsync();

        Assert.Contains("\"status\":\"running\"", asked.Result);
        var job = Assert.Single(await workspace.Jobs.ListAsync("run-10"));
        Assert.Equal((ToolJobStatus.Succeeded, "late.csv for 2026-09"), (job.Status, job.Result));
    }

    [Fact]
    public async Task An_agent_goes_on_while_its_job_runs_and_sees_the_result_in_a_later_call()
    {
        await using var workspace = new InMemoryWorkspace();
        var invoker = new GovernedToolInvoker();
        var model = new ScriptedChatClient([
            ScriptedReply.Call("export_report", new { month = "2026-10" }),
            ScriptedReply.Say("The export is running."),
            ScriptedReply.Say("The report is ready."),
        ]);
        var agent = new Agent("reporter", model, "Report.").WithTools(Export(), invoker.CreateJobStatusTool()).WithToolInvoker(invoker).WithContext(invoker.CreateJobUpdates());
        var context = new AgentContext { Agent = "reporter", RunId = "run-11", Step = 1, Workspace = workspace };

        var first = await agent.RunAsync([new ChatMessage(ChatRole.User, "export October")], new AgentTurnOptions { Context = context });
        _report.SetResult("october.csv");
        await invoker.WhenJobsIdleAsync();
        await agent.RunAsync([new ChatMessage(ChatRole.User, "is it done?")], new AgentTurnOptions { Context = context with { Step = 2 } });

        Assert.Equal("The export is running.", first.Text);
        Assert.Contains(model.Requests[^1], m => m.Role == ChatRole.System && m.Text.Contains("succeeded: october.csv for 2026-10", StringComparison.Ordinal));
    }
}
