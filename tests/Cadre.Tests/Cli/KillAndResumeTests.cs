using System.Text.Json.Nodes;
using Cadre.Resilience;
using Cadre.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cadre.Tests.Cli;

/// <summary>
/// The crash test with real processes: <c>cadre run</c> of the support-desk sample (recorded answers, slowed down with
/// <c>?delay=</c>) is killed — at a random moment, or by seed at a fault point inside the runtime
/// (<c>CADRE_CRASH_AT</c>: the process kills itself between two particular writes, during a tool call or during
/// post-run work) — and resumed, the resumption sometimes killed too, until it finishes. Races resume one run from two
/// processes at once, and kill only a <c>dotnet run</c>-style parent while the real cadre keeps running. Every run must
/// end completed like an undisturbed one, with one ticket, one email, and each side-effecting tool executed once
/// according to <c>cadre audit</c> (counted executions, not de-duplicated effects).
/// </summary>
/// <remarks>The suite runs a seeded subset (<see cref="Kills"/> kills and <see cref="Races"/> races);
/// <c>bench/crash-harness.sh</c> runs 200 and 50 with the same code through <c>CADRE_CRASH_KILLS</c>,
/// <c>CADRE_CRASH_RACES</c> and <c>CADRE_CRASH_SEED</c>.</remarks>
public sealed class KillAndResumeTests(ITestOutputHelper output) : IDisposable
{
    // 16 and 4 rather than 20 and 5: each cycle starts two to four real processes (~8 s on the shared 2-core machine),
    // and the suite's share of it stays under 3 minutes.
    private static readonly int Kills = Setting("CADRE_CRASH_KILLS", 16);
    private static readonly int Races = Setting("CADRE_CRASH_RACES", 4);
    private static readonly int Seed = Setting("CADRE_CRASH_SEED", 20261129);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value >= 0 ? value : fallback;

    private static string Model(int delayMs) => $"replay:{Path.Combine(RepoPaths.SupportDesk, "support.cassette.json")}?delay={delayMs}";

    private static string[] RunArgs(string workspace, int delayMs) => ["run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--workspace", workspace, "--model", Model(delayMs)];

    private static Dictionary<string, string> CrashAt(Random random) =>
        new() { ["CADRE_CRASH_AT"] = $"{FaultPoints.All[random.Next(FaultPoints.All.Count)]}:{1 + random.Next(2)}" };

    [Fact]
    public async Task Seeded_kills_and_concurrent_resumes_end_like_an_undisturbed_run_with_each_side_effect_executed_once()
    {
        // The undisturbed run (it also builds the sample's tools once, before the clock matters).
        var baselineWorkspace = _dir.Combine("baseline");
        using (var baseline = CliProcess.Start(_dir.Path, RunArgs(baselineWorkspace, 0)))
        {
            Assert.True(await baseline.ExitAsync(TimeSpan.FromMinutes(3)) == 0, baseline.Output);
        }

        var expected = await OutcomeAsync(baselineWorkspace, await LatestRunAsync(baselineWorkspace));
        Assert.Equal("completed", expected.Status);

        // Races are spread among the kills, so a partial run of the full-size harness has both.
        var landed = 0;
        var race = 0;
        for (var i = 0; i < Kills || race < Races; i++)
        {
            if (i < Kills)
            {
                landed += await KillCycleAsync(expected, i);
            }

            while (race < Races && (i >= Kills || (race + 1) * Kills <= (i + 1) * Races))
            {
                await RaceAsync(expected, race++);
            }
        }

        output.WriteLine($"{Kills} kill cycles ({landed} kills landed while cadre ran), {Races} races; seed {Seed}");
        Assert.True(landed >= Kills / 2, "most kills should land while cadre runs");
    }

    // One kill cycle: the run is killed (at a random moment or a fault point), its resumption maybe too, then resumed
    // until it finishes. Returns how many kills landed while cadre was working.
    private async Task<int> KillCycleAsync(Outcome expected, int i)
    {
        var landed = 0;
        var random = new Random(Seed + i);
        var workspace = _dir.Combine($"kill-{i}");
        var how = new List<string>();
        landed += await KillAsync(random, workspace, RunArgs(workspace, 300), how);
        var id = await LatestRunAsync(workspace);
        for (var attempt = 0; ; attempt++)
        {
            var args = new[] { "resume", id, "--workspace", workspace, "--model", Model(attempt == 0 ? 300 : 0) };
            if (attempt == 0 && random.Next(5) < 2)
            {
                landed += await KillAsync(random, workspace, args, how);
                continue;
            }

            using var resume = CliProcess.Start(_dir.Path, args);
            var code = await resume.ExitAsync(Limit);
            Assert.True(code == 0, $"kill {i} ({id}, {string.Join(", ", how)}) did not finish on resume:\n{resume.Output}");
            break;
        }

        await AssertLikeUndisturbedAsync(expected, workspace, id, $"kill {i} ({string.Join(", ", how)})");
        Progress($"kill {i} passed ({string.Join(", ", how)})");
        return landed;
    }

    // One race: two processes resume a run at once, after its first process was killed or (dotnet run style) only its
    // parent was.
    private async Task RaceAsync(Outcome expected, int r)
    {
        var random = new Random(Seed + 10_000 + r);
        var workspace = _dir.Combine($"race-{r}");
        string id;
        var orphaned = r % 2 == 0;
        using (var first = CliProcess.Start(_dir.Path, null, underParent: true, RunArgs(workspace, 300)))
        {
            id = await first.RunIdAsync(Limit);
            await Task.Delay(random.Next(200, 1500));
            if (orphaned)
            {
                await first.KillParentOnlyAsync(); // `dotnet run` dies; the real cadre goes on
            }
            else
            {
                await first.KillAsync();
            }
        }

        // Two processes resume the run at once (one of them waits if it is held).
        using var a = CliProcess.Start(_dir.Path, "resume", id, "--workspace", workspace, "--model", Model(300));
        using var b = CliProcess.Start(_dir.Path, "resume", id, "--workspace", workspace, "--model", Model(300), "--wait");
        var codes = await Task.WhenAll(a.ExitAsync(Limit), b.ExitAsync(Limit));
        output.WriteLine($"race {r} ({(orphaned ? "orphan kept running" : "killed")}): resume exits {codes[0]} and {codes[1]} (--wait)");
        Assert.True(codes[1] == 0, $"race {r}: the waiting resume failed:\n{b.Output}");
        if (codes[0] != 0)
        {
            // The one that lost was refused and said who holds the run.
            Assert.Contains(a.Lines, l => l.Contains($"run {id} is running in process ", StringComparison.Ordinal) && l.Contains("it was last seen", StringComparison.Ordinal));
            Assert.Equal(1, codes[0]);
        }

        Assert.DoesNotContain(a.Lines.Concat(b.Lines), l => l.Contains("UNIQUE constraint", StringComparison.Ordinal));
        await AssertLikeUndisturbedAsync(expected, workspace, id, $"race {r}");
        Progress($"race {r} passed ({(orphaned ? "orphan" : "killed")}; exits {codes[0]}, {codes[1]})");
    }

    // The full-size harness is long: with CADRE_CRASH_LOG set, each cycle's result is appended there as it passes.
    private static void Progress(string line)
    {
        if (Environment.GetEnvironmentVariable("CADRE_CRASH_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(log, $"{DateTimeOffset.UtcNow:HH:mm:ss} {line}{Environment.NewLine}");
        }
    }

    [Fact]
    public async Task Killing_only_the_dotnet_run_parent_leaves_cadre_running_and_a_resume_says_who_holds_the_run_and_waits_for_it()
    {
        var workspace = _dir.Combine("orphan");
        using var first = CliProcess.Start(_dir.Path, null, underParent: true, RunArgs(workspace, 1200));
        var id = await first.RunIdAsync(Limit);
        await first.KillParentOnlyAsync();

        var refused = await CliRunner.RunAsync(_dir.Path, "resume", id, "--workspace", workspace);

        Assert.Equal(1, refused.ExitCode);
        var line = refused.Error.Split('\n').Single(l => l.Contains("is running in process", StringComparison.Ordinal));
        Assert.Matches($@"^error: run {id} is running in process \d+ on host {System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}; it was last seen [\d.]+ s ago", line);
        Assert.DoesNotContain($"process {Environment.ProcessId} ", line, StringComparison.Ordinal);

        using var waiting = CliProcess.Start(_dir.Path, "resume", id, "--workspace", workspace, "--wait");
        Assert.True(await waiting.ExitAsync(Limit) == 0, waiting.Output);
        Assert.Contains(waiting.Lines, l => l.StartsWith("stderr: waiting: run ", StringComparison.Ordinal));
        var outcome = await OutcomeAsync(workspace, id);
        Assert.Equal(("completed", 1, 1), (outcome.Status, outcome.Tickets, outcome.Emails));
    }

    [Fact]
    public async Task Resume_with_an_empty_or_unknown_id_is_bad_usage()
    {
        var workspace = _dir.Combine("ws");
        Assert.Equal(2, (await CliRunner.RunAsync(_dir.Path, "resume", "", "--workspace", workspace)).ExitCode);
        var unknown = await CliRunner.RunAsync(_dir.Path, "resume", "r-nope", "--workspace", workspace);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no run 'r-nope'", unknown.Error, StringComparison.Ordinal);
    }

    // Kills a process running `args`: at a random moment, or by seed at a fault point. Returns 1 if it died working.
    private async Task<int> KillAsync(Random random, string workspace, string[] args, List<string> how)
    {
        if (random.Next(2) == 0)
        {
            var crash = CrashAt(random);
            how.Add($"{args[0]} crashed at {crash["CADRE_CRASH_AT"]}");
            using var crashing = CliProcess.Start(_dir.Path, crash, false, [.. args.Take(args.Length - 1), Model(0)]);
            var code = await crashing.ExitAsync(Limit);
            return code == 0 ? 0 : 1;
        }

        using var process = CliProcess.Start(_dir.Path, args);
        try
        {
            await process.RunIdAsync(Limit);
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
            // Nothing to kill: the run had already finished (a resume of a completed run says so and exits at once).
            how.Add($"{args[0]} had nothing left to do");
            Assert.True(await process.ExitAsync(Limit) == 0, process.Output);
            return 0;
        }

        var delay = random.Next(0, 2400);
        how.Add($"{args[0]} killed after {delay} ms");
        await Task.Delay(delay);
        var running = process.HasExited ? 0 : 1;
        await process.KillAsync();
        return running;
    }

    private async Task AssertLikeUndisturbedAsync(Outcome expected, string workspace, string id, string what)
    {
        var outcome = await OutcomeAsync(workspace, id);
        output.WriteLine($"{what}: {id} {outcome.Status}, {outcome.Steps} steps, tickets {outcome.Tickets}, emails {outcome.Emails}");
        Assert.Equal(expected with { Id = id }, outcome);

        var audit = await CliRunner.RunAsync(_dir.Path, "audit", "--run", id, "--json", "--workspace", workspace);
        Assert.True(audit.ExitCode == 0, audit.Error);
        AuditChecks.SideEffectsExecutedOnce(audit.Out, what);
    }

    private sealed record Outcome(string Id, string Status, string? Answer, string Agents, int Steps, string Tools, int Tickets, int Emails);

    private async Task<string> LatestRunAsync(string workspace)
    {
        var list = await CliRunner.RunAsync(_dir.Path, "runs", "list", "--json", "--workspace", workspace);
        Assert.True(list.ExitCode == 0, list.Error);
        return (string)JsonNode.Parse(list.Out)!.AsArray()[0]!["id"]!;
    }

    private async Task<Outcome> OutcomeAsync(string workspace, string id)
    {
        var show = await CliRunner.RunAsync(_dir.Path, "runs", "show", id, "--json", "--workspace", workspace);
        Assert.True(show.ExitCode == 0, show.Error);
        var run = JsonNode.Parse(show.Out)!.AsObject();
        var steps = run["steps"]!.AsArray();
        var tools = string.Join(",", steps.SelectMany(s => s!["toolCalls"]!.AsArray().Select(c => (string)c!["tool"]!)));
        int tickets;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(workspace, "support-desk", "support.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM tickets;";
            tickets = Convert.ToInt32(await command.ExecuteScalarAsync());
        }

        var outbox = Path.Combine(workspace, "support-desk", "outbox");
        var emails = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml").Length : 0;
        return new Outcome(id, (string)run["status"]!, (string?)run["answer"], string.Join("→", run["agents"]!.AsArray().Select(a => (string)a!)), steps.Count, tools, tickets, emails);
    }
}
