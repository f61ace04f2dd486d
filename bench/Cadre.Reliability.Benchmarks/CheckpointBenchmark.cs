using System.Diagnostics;
using System.Globalization;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Sqlite;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Data.Sqlite;

namespace Cadre.Reliability.Benchmarks;

/// <summary>
/// What checkpoints cost: the time of each step's commit (p50, p95) in the SQLite workspace against the in-memory one
/// and against the whole step, the file growth per step, and the time to resume a 100-step run against the time to
/// start a new one — all measured in the same process, with a model that answers at once so only Cadre is timed.
/// </summary>
public static class CheckpointBenchmark
{
    private const int Steps = 100;
    private const int Runs = 5;
    private const int Resumes = 10;
    private static readonly string Answer = string.Concat(Enumerable.Repeat("The duplicate charge on INV-1001 was refunded; ticket T-1001 tracks it. ", 6));

    /// <summary>Measures and writes the figures as a Markdown table.</summary>
    /// <param name="output">Where to write.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Path.Combine(Path.GetTempPath(), "cadre-bench-" + Guid.NewGuid().ToString("n")[..8]);
        try
        {
            await WarmUpAsync(folder);
            var memory = new List<double>();
            var sqlite = new List<double>();
            var stepTimes = new List<double>();
            var growth = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                await using (var inMemory = new TimedWorkspace(new InMemoryWorkspace()))
                {
                    await Chat(Steps).RunAsync("refund INV-1001", inMemory, Unlimited);
                    memory.AddRange(inMemory.Timed.CommitMilliseconds);
                }

                var directory = Path.Combine(folder, $"run-{i}");
                await using var workspace = await SqliteWorkspace.OpenAsync(directory);
                var before = await SizeAsync(workspace.Database.Path);
                var timed = new TimedWorkspace(workspace);
                var started = Stopwatch.GetTimestamp();
                var run = await Chat(Steps).RunAsync("refund INV-1001", timed, Unlimited);
                Check(run, Steps);
                stepTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds / Steps);
                sqlite.AddRange(timed.Timed.CommitMilliseconds);
                growth.Add((await SizeAsync(workspace.Database.Path) - before) / (double)Steps);
            }

            var (resume, start) = await ResumeTimesAsync(Path.Combine(folder, "resume"));
            var c = CultureInfo.InvariantCulture;
            output.WriteLine("| figure | value | against |");
            output.WriteLine("| --- | --- | --- |");
            output.WriteLine(string.Create(c, $"| checkpoint per step, SQLite (p50 / p95) | {P(sqlite, 50):0.00} / {P(sqlite, 95):0.00} ms | {P(sqlite, 50) / P(memory, 50):0}× the in-memory commit ({P(memory, 50) * 1000:0} µs) |"));
            output.WriteLine(string.Create(c, $"| share of a step spent checkpointing (instant model) | {100 * P(sqlite, 50) / P(stepTimes, 50):0}% | whole step p50 {P(stepTimes, 50):0.00} ms |"));
            output.WriteLine(string.Create(c, $"| file growth per step | {P(growth, 50) / 1024:0.0} KiB | one {Answer.Length}-character message, the step row and its checkpoint |"));
            output.WriteLine(string.Create(c, $"| resume a {Steps}-step run to its next step (p50 / p95) | {P(resume, 50):0.0} / {P(resume, 95):0.0} ms | {P(resume, 50) / P(start, 50):0.0}× starting a new run ({P(start, 50):0.0} ms) |"));
            output.WriteLine();
            output.WriteLine(string.Create(c, $"{Runs} runs of {Steps} steps ({sqlite.Count} checkpoints), {Resumes} resumes; {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static RunOptions Unlimited { get; } = new() { MaxSteps = 10_000 };

    private static void Check(WorkflowRun run, int steps)
    {
        if (run.Steps.Count != steps)
        {
            throw new InvalidOperationException($"Run {run.Id} took {run.Steps.Count} steps, not {steps}: {run.Status} {run.Error}");
        }
    }

    // A two-agent chat that talks for exactly the given number of turns.
    private static GroupChatWorkflow Chat(int turns) => new(
        [new Agent("billing", new EchoChatClient(Answer), "Resolve billing."), new Agent("reviewer", new EchoChatClient(Answer), "Review.")])
    {
        MaxTurns = turns,
        DoneMarker = "<never>",
    };

    private static async Task WarmUpAsync(string folder)
    {
        await Chat(10).RunAsync("warm up", new InMemoryWorkspace(), Unlimited);
        await using var workspace = await SqliteWorkspace.OpenAsync(Path.Combine(folder, "warm-up"));
        var stopped = await Chat(Steps).RunAsync("warm up", workspace, Unlimited with { Budget = new RunBudget { MaxSteps = 10 } });
        await Chat(Steps).ResumeAsync(stopped.Id, workspace, Unlimited with { Budget = new RunBudget { MaxSteps = 11 } });
    }

    private static async Task<(List<double> Resume, List<double> Start)> ResumeTimesAsync(string folder)
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(folder);
        var ids = new List<string>();
        for (var i = 0; i < Resumes; i++)
        {
            var stopped = await Chat(Steps + 10).RunAsync("refund INV-1001", workspace, Unlimited with { Budget = new RunBudget { MaxSteps = Steps } });
            Check(stopped, Steps);
            ids.Add(stopped.Id);
        }

        var resume = new List<double>();
        var start = new List<double>();
        foreach (var id in ids)
        {
            resume.Add(await TimeToFirstStepAsync(observer => Chat(Steps + 10).ResumeAsync(id, workspace, Unlimited with { Observer = observer, Budget = new RunBudget { MaxSteps = Steps + 1 } })));
            start.Add(await TimeToFirstStepAsync(observer => Chat(1).RunAsync("refund INV-1001", workspace, Unlimited with { Observer = observer })));
        }

        return (resume, start);
    }

    private static async Task<double> TimeToFirstStepAsync(Func<IRunObserver, Task<WorkflowRun>> run)
    {
        var started = Stopwatch.GetTimestamp();
        double? first = null;
        await run(RunObserver.From(e =>
        {
            if (e is AgentStepStarted && first is null)
            {
                first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        return first ?? throw new InvalidOperationException("The run took no step.");
    }

    private static async Task<long> SizeAsync(string database)
    {
        // Fold the write-ahead log into the file so its size is what the steps really take.
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }

        return new FileInfo(database).Length;
    }

    /// <summary>The <paramref name="percentile"/>th percentile of <paramref name="values"/> (nearest rank).</summary>
    internal static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
