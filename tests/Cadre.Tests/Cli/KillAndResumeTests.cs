using System.Text.Json.Nodes;
using Cadre.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cadre.Tests.Cli;

/// <summary>
/// The crash test: a real <c>cadre run</c> of the support-desk sample (recorded answers, slowed down with
/// <c>?delay=</c> so kills land inside steps) is killed at random points, resumed — and sometimes killed again —
/// until it finishes. Every resumed run must end exactly like an undisturbed one: the same answer and agents, one
/// ticket row and one email, whatever the kill interrupted.
/// </summary>
public sealed class KillAndResumeTests(ITestOutputHelper output) : IDisposable
{
    private const int Runs = 6;
    private const int Seed = 20261124;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model(int delayMs) => $"replay:{Path.Combine(RepoPaths.SupportDesk, "support.cassette.json")}?delay={delayMs}";

    [Fact]
    public async Task A_run_killed_at_random_points_and_resumed_ends_as_an_undisturbed_run_with_each_side_effect_once()
    {
        // The undisturbed run (it also builds the sample's tools once, before the clock matters).
        var baselineWorkspace = _dir.Combine("baseline");
        using (var baseline = CliProcess.Start(_dir.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--model", Model(0), "--workspace", baselineWorkspace))
        {
            Assert.True(await baseline.ExitAsync(TimeSpan.FromMinutes(3)) == 0, baseline.Output);
        }

        var expected = await OutcomeAsync(baselineWorkspace, (await ShowAsync(baselineWorkspace, null))["id"]!.GetValue<string>());
        Assert.Equal("completed", expected.Status);

        var random = new Random(Seed);
        var kills = 0;
        for (var i = 0; i < Runs; i++)
        {
            var workspace = _dir.Combine($"run-{i}");
            string id;
            using (var first = CliProcess.Start(_dir.Path, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--model", Model(300), "--workspace", workspace))
            {
                id = await first.RunIdAsync(Limit);
                await Task.Delay(random.Next(0, 2400));
                kills += first.HasExited ? 0 : 1;
                await first.KillAsync();
            }

            // Resume; sometimes kill the resumed process too, then resume until it finishes.
            for (var attempt = 0; ; attempt++)
            {
                using var resume = CliProcess.Start(_dir.Path, "resume", id, "--workspace", workspace, "--model", Model(attempt == 0 ? 300 : 0));
                if (attempt == 0 && random.Next(2) == 0)
                {
                    await resume.RunIdAsync(Limit);
                    await Task.Delay(random.Next(0, 1500));
                    kills += resume.HasExited ? 0 : 1;
                    await resume.KillAsync();
                    continue;
                }

                var code = await resume.ExitAsync(Limit);
                Assert.True(code == 0, $"run {i} ({id}) did not finish on resume:\n{resume.Output}");
                break;
            }

            var outcome = await OutcomeAsync(workspace, id);
            output.WriteLine($"run {i}: {id} {outcome.Status}, {outcome.Steps} steps, tickets {outcome.Tickets}, emails {outcome.Emails}");
            Assert.Equal(expected with { Id = id }, outcome);
        }

        output.WriteLine($"{kills} kills landed while cadre was running");
        Assert.True(kills >= Runs / 2, "most kills should land while cadre runs");
    }

    private sealed record Outcome(string Id, string Status, string? Answer, string Agents, int Steps, string Tools, int Tickets, int Emails);

    private async Task<Outcome> OutcomeAsync(string workspace, string id)
    {
        var run = await ShowAsync(workspace, id);
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

    private async Task<JsonObject> ShowAsync(string workspace, string? id)
    {
        id ??= (string)JsonNode.Parse((await CliRunner.RunAsync(_dir.Path, "runs", "list", "--json", "--workspace", workspace)).Out)!.AsArray()[0]!["id"]!;
        var show = await CliRunner.RunAsync(_dir.Path, "runs", "show", id, "--json", "--workspace", workspace);
        Assert.True(show.ExitCode == 0, show.Error);
        return JsonNode.Parse(show.Out)!.AsObject();
    }
}
