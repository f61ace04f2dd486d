using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Shared;
using Cadre.Runs;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Postgres.Benchmarks;

/// <summary>Measures one kind of workspace: checkpoint commits, memory ingest and recall, and concurrent writers on
/// the blackboard and the ledger (checking that no write is lost or doubled).</summary>
/// <param name="name">The workspace kind, for the report.</param>
/// <param name="open">Opens the workspace (each call as another connection pool, like another process).</param>
public sealed class StoreBenchmark(string name, Func<Task<IWorkspace>> open)
{
    private static readonly MemoryScope Scope = new("bench");

    /// <summary>The workspace kind.</summary>
    public string Name => name;

    /// <summary>Commits <paramref name="steps"/> steps of one run, two messages each, and returns each commit's time.</summary>
    public async Task<List<double>> CheckpointAsync(int steps)
    {
        await using var workspace = await open();
        var runId = "bench-" + Guid.NewGuid().ToString("n")[..8];
        var state = new WorkflowState { Task = "benchmark", NextAgent = "billing", Notes = ["a note"], Data = new Dictionary<string, string> { ["customer"] = "C-1001" } };
        await workspace.Runs.CreateRunAsync(new RunRecord { Id = runId, Workflow = "handoff", Task = "benchmark", StartedAt = DateTimeOffset.UtcNow }, [new ChatMessage(ChatRole.User, "charged twice")], state);
        var times = new List<double>(steps);
        for (var i = 1; i <= steps; i++)
        {
            ChatMessage[] messages = [new(ChatRole.Assistant, new string('x', 400)) { AuthorName = "billing" }, new(ChatRole.Tool, new string('y', 400))];
            var step = new RunStep
            {
                RunId = runId, Index = i, Agent = "billing", StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.FromMilliseconds(5),
                Usage = new TokenUsage(100, 10), Text = "answer", Messages = messages,
                ToolCalls = [new ToolCallRecord($"c{i}", "lookup_invoice", "{}", ToolCallStatus.Succeeded, "ok", TimeSpan.FromMilliseconds(1))],
            };
            var started = Stopwatch.GetTimestamp();
            await workspace.Runs.CommitStepAsync(new StepCommit(step, messages, state with { Step = i }));
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }

    /// <summary>Stores <paramref name="count"/> memories in batches of 500 (hashing embedder), then runs hybrid recall
    /// <paramref name="queries"/> times. Returns memories per second and each recall's time.</summary>
    public async Task<(double PerSecond, List<double> Recall, double FirstRecallMs)> MemoryAsync(int count, int queries)
    {
        await using var workspace = await open();
        var embedder = new HashingEmbeddingGenerator(384);
        var memory = new LongTermMemory(workspace.Memory.Stores.LongTerm, embedder);
        var random = new Random(11);
        // A Zipf-like vocabulary of 30,000 made-up words: a few very common, most rare, as in real text.
        string Word() => "w" + ((int)(Math.Pow(random.NextDouble(), 4) * 30_000)).ToString(CultureInfo.InvariantCulture) + "x";
        string Sentence() => string.Join(' ', Enumerable.Range(0, random.Next(8, 24)).Select(_ => Word()));
        var ingest = TimeSpan.Zero;
        for (var start = 0; start < count; start += 500)
        {
            var batch = Enumerable.Range(0, Math.Min(500, count - start)).Select(_ =>
            {
                var text = Sentence();
                return new MemoryRecord { Id = MemoryRecord.NewId(), Scope = Scope, Text = text, Embedding = embedder.Embed(text), EmbeddingModel = embedder.ModelId, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
            }).ToList();
            var started = Stopwatch.GetTimestamp();
            await workspace.Memory.Stores.LongTerm.AddRangeAsync(batch);
            ingest += Stopwatch.GetElapsedTime(started);
        }

        var first = Stopwatch.GetTimestamp();
        await memory.RecallAsync(Sentence(), Scope, k: 5);
        var firstMs = Stopwatch.GetElapsedTime(first).TotalMilliseconds;
        var times = new List<double>(queries);
        for (var q = 0; q < queries; q++)
        {
            var query = Sentence();
            var started = Stopwatch.GetTimestamp();
            await memory.RecallAsync(query, Scope, k: 5);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (count / ingest.TotalSeconds, times, firstMs);
    }

    /// <summary>Eight writers, each on its own workspace (connection pool), increment one blackboard key with
    /// compare-and-set retries and record ledger entries (distinct keys and one shared key). Returns the writes per
    /// second and whether every write is there exactly once.</summary>
    public async Task<(double BoardPerSecond, double LedgerPerSecond, bool Exact, string Detail)> WritersAsync(int writers, int each)
    {
        var workspaces = new List<IWorkspace>();
        for (var w = 0; w < writers; w++)
        {
            workspaces.Add(await open());
        }

        try
        {
            var board = "bench-" + Guid.NewGuid().ToString("n")[..8];
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(workspaces.Select((ws, w) => Task.Run(() => IncrementAsync(ws, board, each))));
            var boardSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            started = Stopwatch.GetTimestamp();
            await Task.WhenAll(workspaces.Select((ws, w) => Task.Run(() => RecordAsync(ws, board, w, each))));
            var ledgerSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var (exact, detail) = await CheckAsync(workspaces[0], board, writers, each);
            return (writers * each / boardSeconds, writers * each * 2 / ledgerSeconds, exact, detail);
        }
        finally
        {
            foreach (var ws in workspaces)
            {
                await ws.DisposeAsync();
            }
        }
    }

    /// <summary>One writer's blackboard work: <paramref name="each"/> compare-and-set increments of the board's shared
    /// counter, retrying on conflict.</summary>
    public static async Task IncrementAsync(IWorkspace workspace, string board, int each)
    {
        var blackboard = new Blackboard(workspace.Memory.Stores.Blackboard, new MemoryScope(board), BlackboardActor.Operator());
        for (var i = 0; i < each; i++)
        {
            while (true)
            {
                var current = await blackboard.ReadAsync("shared", "counter");
                try
                {
                    await blackboard.WriteAsync("shared", "counter", JsonValue.Create((current?.Get<int>() ?? 0) + 1), current?.Version ?? 0);
                    break;
                }
                catch (BlackboardConflictException)
                {
                }
            }
        }
    }

    /// <summary>One writer's ledger work: <paramref name="each"/> records of its own keys and <paramref name="each"/> of
    /// keys every writer records.</summary>
    public static async Task RecordAsync(IWorkspace workspace, string board, int writer, int each)
    {
        for (var i = 0; i < each; i++)
        {
            await workspace.Ledger.RecordAsync(new ToolLedgerEntry($"{board}/w{writer}/{i}", "send_email", "{}", $"writer {writer}", ToolCallStatus.Succeeded, DateTimeOffset.UtcNow));
            await workspace.Ledger.RecordAsync(new ToolLedgerEntry($"{board}/shared/{i}", "send_email", "{}", $"writer {writer}", ToolCallStatus.Succeeded, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>Whether every write of <paramref name="writers"/> writers is there exactly once: the counter and its
    /// version equal the increments, one audit entry each, no ledger key missing.</summary>
    public static async Task<(bool Exact, string Detail)> CheckAsync(IWorkspace workspace, string board, int writers, int each)
    {
        var check = new Blackboard(workspace.Memory.Stores.Blackboard, new MemoryScope(board), BlackboardActor.Operator());
        var counter = await check.ReadAsync("shared", "counter");
        var audit = await check.AuditAsync(limit: writers * each * 2);
        var missing = 0;
        for (var w = 0; w < writers; w++)
        {
            for (var i = 0; i < each; i++)
            {
                missing += await workspace.Ledger.FindAsync($"{board}/w{w}/{i}") is null ? 1 : 0;
            }
        }

        for (var i = 0; i < each; i++)
        {
            missing += await workspace.Ledger.FindAsync($"{board}/shared/{i}") is null ? 1 : 0;
        }

        var expected = writers * each;
        var exact = counter?.Get<int>() == expected && counter.Version == expected && audit.Count == expected && missing == 0;
        return (exact, $"counter {counter?.Get<int>()}, version {counter?.Version}, audit {audit.Count}, ledger missing {missing}");
    }
}
