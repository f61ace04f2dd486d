using System.Diagnostics;
using System.Globalization;
using System.Net;
using Cadre.Conversations;
using Cadre.Dashboard;
using Cadre.Runs;
using Cadre.Sqlite;
using Microsoft.Extensions.AI;

// The dashboard's two targets, measured over HTTP on loopback against a real workspace file:
//  1. the runs page with 10,000 runs, a page at a time (target ≤ 200 ms server time);
//  2. the time from a step's commit (by another workspace connection, as another process would) to its arrival in
//     the run page's server-sent events (target ≤ 1 s).
// Baselines in the same process: the store's own ListRunsAsync(50) and a static asset over the same HTTP path.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var root = Path.Combine(Path.GetTempPath(), "cadre-dashboard-bench", Guid.NewGuid().ToString("n")[..8]);
var folder = Path.Combine(root, ".cadre");
Directory.CreateDirectory(root);
try
{
    var seeding = Stopwatch.StartNew();
    await using (var workspace = await SqliteWorkspace.OpenAsync(folder))
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var id = $"r{i:D6}";
            var task = $"customer {i % 997} was charged twice for INV-{i}";
            var run = new RunRecord { Id = id, Workflow = "handoff", Task = task, StartedAt = start.AddSeconds(i) };
            await workspace.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, task)], new WorkflowState { Task = task, NextAgent = "triage" });
            var step = new RunStep
            {
                RunId = id, Index = 1, Agent = "triage", StartedAt = run.StartedAt, Duration = TimeSpan.FromMilliseconds(300),
                Messages = [new ChatMessage(ChatRole.Assistant, "Handing to billing.")], Usage = new TokenUsage(300, 20), Text = "Handing to billing.",
            };
            await workspace.Runs.CommitStepAsync(new StepCommit(step, step.Messages, new WorkflowState { Task = task, Step = 1 }));
            await workspace.Runs.UpdateRunAsync(run with { Status = i % 10 == 0 ? RunStatus.Failed : RunStatus.Completed, Steps = 1, Usage = step.Usage, EndedAt = run.StartedAt.AddSeconds(1) }, 0);
        }
    }

    Console.WriteLine($"seeded {count:N0} runs in {seeding.Elapsed.TotalSeconds:0.0} s");
    await using var server = await DashboardServer.StartAsync(new DashboardOptions { Workspace = folder, Port = 0, CurrentDirectory = root });
    using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
    using var http = new HttpClient(handler) { BaseAddress = server.Address };
    (await http.GetAsync(server.SignInUrl)).EnsureSuccessStatusCode();

    await using (var store = await SqliteWorkspace.OpenAsync(folder))
    {
        var baseline = await TimeAsync(() => store.Runs.ListRunsAsync(50));
        var asset = await TimeAsync(() => http.GetStringAsync("/assets/app.css"));
        Report("store ListRunsAsync(50) (baseline)", baseline, baseline);
        Report("GET /assets/app.css (HTTP baseline)", asset, baseline);
        Report("store ListRunsAsync(all)", await TimeAsync(() => store.Runs.ListRunsAsync(int.MaxValue)), baseline);
        Report("store GetStepsAsync × 50", await TimeAsync(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await store.Runs.GetStepsAsync($"r{i:D6}");
            }

            return 0;
        }), baseline);
        var pages = (count + 49) / 50;
        foreach (var path in new[] { "/runs", $"/runs?page={pages / 2}", $"/runs?page={pages}", "/runs?q=INV-4242", "/runs?status=failed&page=3" })
        {
            Report($"GET {path}", await TimeAsync(() => http.GetStringAsync(path)), baseline);
        }
    }

    // A run in progress; its page's live stream, then steps committed one at a time.
    await using (var writer = await SqliteWorkspace.OpenAsync(folder))
    {
        var live = new RunRecord { Id = "r-live", Workflow = "sequential", Task = "live", StartedAt = DateTimeOffset.UtcNow };
        await writer.Runs.CreateRunAsync(live, [new ChatMessage(ChatRole.User, "live")], new WorkflowState { Task = "live", NextAgent = "a" });
        using var response = await http.GetAsync("/live/run/r-live", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ReadUntilAsync(reader, "No step is committed yet");
        var latencies = new List<double>();
        for (var index = 1; index <= 30; index++)
        {
            var step = new RunStep { RunId = live.Id, Index = index, Agent = "a", StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.FromMilliseconds(5), Text = $"step {index}" };
            var clock = Stopwatch.StartNew();
            await writer.Runs.CommitStepAsync(new StepCommit(step, [new ChatMessage(ChatRole.Assistant, $"step {index}")], new WorkflowState { Task = "live", Step = index, NextAgent = "a" }));
            await ReadUntilAsync(reader, $"data-step=\"{index}\"");
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine($"step commit → SSE update (30 steps, poll interval 200 ms): median {latencies[15]:0} ms, p95 {latencies[28]:0} ms, max {latencies[^1]:0} ms");
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

static async Task<List<double>> TimeAsync<T>(Func<Task<T>> work)
{
    for (var i = 0; i < 3; i++)
    {
        await work();
    }

    var times = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        var clock = Stopwatch.StartNew();
        await work();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return times;
}

static void Report(string what, List<double> times, List<double> baseline) =>
    Console.WriteLine($"{what,-40} median {times[10],8:0.00} ms  p95 {times[18],8:0.00} ms  ×{times[10] / baseline[10],7:0.0} baseline");

static async Task ReadUntilAsync(StreamReader reader, string text)
{
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.Contains(text, StringComparison.Ordinal))
        {
            return;
        }
    }

    throw new InvalidOperationException($"The stream ended before '{text}'.");
}
