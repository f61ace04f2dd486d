using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cadre.Postgres;
using Cadre.Runs;
using Cadre.Tests.Support;
using Xunit.Abstractions;

namespace Cadre.Tests.Orleans;

/// <summary>
/// The cluster with real processes: two <c>cadre serve</c> hosts (each in its own folder) that meet in a real
/// PostgreSQL workspace, runs of the support-desk sample submitted with <c>cadre run --cluster</c> (detached, and one
/// followed to its end), and one host killed with SIGKILL while they are in flight. Every run must complete on the
/// other host without anyone calling resume, each side-effecting tool executed once according to the audit log.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterEndToEndTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    // Four runs in all: the sample sends at most 5 emails a minute per agent, counted across the cluster in the workspace.
    private const int Runs = 3;

    // Each model call takes this long (ms), so a run is still in its second step when its host is killed.
    private const int Delay = 600;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private readonly List<CliProcess> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Runs_in_flight_on_two_serve_processes_all_complete_when_one_is_killed_with_each_side_effect_executed_once()
    {
        var url = await server.CreateDatabaseAsync();
        var specs = ClusterDesk.WriteSpecs(_dir.Path);
        var ports = FreePorts(4);
        var hosts = new[] { Serve("a", url, specs, ports[0], ports[1]), Serve("b", url, specs, ports[2], ports[3]) };
        foreach (var host in hosts)
        {
            await LineAsync(host, l => l.StartsWith("ready", StringComparison.Ordinal));
        }

        // Detached submissions return at once with the run id; one more run is followed to its end. All four are
        // submitted together, so no run is over before the last one has started.
        var submitted = new List<(string Id, string Silo)>();
        var detached = Enumerable.Range(0, Runs).Select(i => Start(_dir.Path, "run", ClusterDesk.Name, RepoPaths.SupportDeskTask, "--cluster", url, "--detach", "--model", ClusterDesk.Model(_dir.Path, Delay, i))).ToList();
        var follower = Start(_dir.Path, "run", ClusterDesk.Name, RepoPaths.SupportDeskTask, "--cluster", url, "--model", ClusterDesk.Model(_dir.Path, Delay, Runs));
        foreach (var submit in detached)
        {
            Assert.True(await submit.ExitAsync(Limit) == 0, submit.Output);
            submitted.Add(Started(submit));
        }

        await LineAsync(follower, l => l.StartsWith("run ", StringComparison.Ordinal) && l.Contains(" started on ", StringComparison.Ordinal));
        submitted.Add(Started(follower));

        // The host that dies is the one driving a run that has committed its first step and is still running (the
        // billing step takes several model calls of Delay each, so it is mid-run when the kill lands).
        await using (var workspace = await PostgresWorkspace.OpenAsync(url))
        {
            using var wait = new CancellationTokenSource(Limit);
            string? victimSilo = null;
            while (victimSilo is null)
            {
                foreach (var (id, silo) in submitted)
                {
                    var run = await workspace.Runs.GetRunAsync(id, wait.Token);
                    if (run?.Status == RunStatus.Running && (await workspace.Runs.GetStepsAsync(id, wait.Token)).Count > 0)
                    {
                        victimSilo = silo;
                        break;
                    }
                }

                if (victimSilo is null)
                {
                    await Task.Delay(50, wait.Token);
                }
            }

            var victim = hosts[victimSilo.Contains($":{ports[0]}@", StringComparison.Ordinal) || victimSilo.Contains($":{ports[0]}:", StringComparison.Ordinal) ? 0 : 1];
            var onVictim = submitted.Where(s => s.Silo == victimSilo).Select(s => s.Id).ToList();
            await victim.KillAsync();
            var unfinished = new List<string>();
            foreach (var id in onVictim)
            {
                if ((await workspace.Runs.GetRunAsync(id, wait.Token))?.Status == RunStatus.Running)
                {
                    unfinished.Add(id);
                }
            }

            output.WriteLine($"killed host {(victim == hosts[0] ? "a" : "b")} ({victimSilo}) driving {onVictim.Count} of {submitted.Count} runs");

            foreach (var (id, _) in submitted)
            {
                var run = await ClusterDesk.EndedAsync(workspace, id, Limit);
                Assert.True(run.Status == RunStatus.Completed, $"{id}: {run.Status} {run.Error}\n{hosts[0].Output}\n{hosts[1].Output}");
                var steps = await workspace.Runs.GetStepsAsync(id);
                AuditChecks.SideEffectsExecutedOnce(await AuditAsync(url, id), id + ": " + string.Join("\n", steps.SelectMany(s => s.ToolCalls).Select(c => c.Tool + " → " + c.Result)));
                var taken = (await workspace.Runs.GetLeaseAsync(id))!.Epoch > 1;
                output.WriteLine($"{id}: completed{(taken ? ", taken over" : "")}");
            }

            // Every run the dead host left running was taken over by the other host.
            Assert.NotEmpty(unfinished);
            foreach (var id in unfinished)
            {
                Assert.True((await workspace.Runs.GetLeaseAsync(id))!.Epoch > 1, $"{id} was running on the killed host and was not taken over");
            }
        }

        Assert.True(await follower.ExitAsync(Limit) == 0, follower.Output);
        Assert.Contains(follower.Lines, l => l.Contains("done", StringComparison.Ordinal));

        // The workspace commands work on the cluster's workspace.
        var list = Start(_dir.Path, "runs", "list", "--json", "--workspace", url);
        Assert.True(await list.ExitAsync(Limit) == 0, list.Output);
        var listed = JsonNode.Parse(string.Join('\n', list.Lines.Where(l => !l.StartsWith("stderr: ", StringComparison.Ordinal))))!.AsArray();
        Assert.Equal(submitted.Count, listed.Count(r => (string?)r!["status"] == "completed"));
    }

    [Fact]
    public async Task Serve_refuses_a_folder_workspace_and_run_refuses_detach_without_a_cluster()
    {
        var specs = ClusterDesk.WriteSpecs(_dir.Path);
        var serve = Start(_dir.Path, "serve", "--workspace", _dir.Combine("ws"), "--specs", specs);
        Assert.Equal(2, await serve.ExitAsync(Limit));
        Assert.Contains(serve.Lines, l => l.Contains("postgres://", StringComparison.Ordinal));

        var run = Start(_dir.Path, "run", ClusterDesk.Name, "hello", "--detach");
        Assert.Equal(2, await run.ExitAsync(Limit));
        Assert.Contains(run.Lines, l => l.Contains("--detach needs --cluster", StringComparison.Ordinal));
    }

    private CliProcess Serve(string name, string url, string specs, int siloPort, int gatewayPort)
    {
        var folder = _dir.Combine("host-" + name);
        Directory.CreateDirectory(folder);
        return Start(folder, "serve", "--workspace", url, "--specs", specs, "--silo-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", name, "--lease", "3");
    }

    private CliProcess Start(string folder, params string[] args)
    {
        var process = CliProcess.Start(folder, args);
        _processes.Add(process);
        return process;
    }

    private static (string Id, string Silo) Started(CliProcess submit)
    {
        var line = submit.Lines.First(l => l.StartsWith("run ", StringComparison.Ordinal) && l.Contains(" started on ", StringComparison.Ordinal));
        var parts = line.Split(' ');
        return (parts[1], parts[^1]);
    }

    private static async Task LineAsync(CliProcess process, Func<string, bool> match)
    {
        using var wait = new CancellationTokenSource(Limit);
        while (!process.Lines.Any(match))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"cadre exited before printing the expected line:\n{process.Output}");
            }

            await Task.Delay(100, wait.Token);
        }
    }

    private async Task<string> AuditAsync(string url, string id)
    {
        var audit = Start(_dir.Path, "audit", "--run", id, "--json", "--workspace", url);
        Assert.True(await audit.ExitAsync(Limit) == 0, audit.Output);
        return string.Join('\n', audit.Lines.Where(l => !l.StartsWith("stderr: ", StringComparison.Ordinal)));
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
