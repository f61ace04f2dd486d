using Cadre.Runs;
using Cadre.Workspaces;

namespace Cadre.Tests.Support;

/// <summary>
/// The support-desk sample as a cluster serves it in tests: a specs folder with the sample's spec under the name
/// <c>desk</c> (its tools project and approvals named by absolute path, so nothing is rebuilt; memory writes off), the
/// model behaviour its cassette was recorded from as a script whose replies are taken per agent (so a run resumed by
/// another host picks up at its step's agent, and runs that share a host's ticket database — whose tool results
/// differ from the cassette's — still get their answers), slowed down, and checks of a finished run against the
/// audit log.
/// </summary>
public static class ClusterDesk
{
    public const string Name = "desk";

    /// <summary>The scripted model, written into <paramref name="folder"/>. Runs at once on one host need different
    /// <paramref name="variant"/>s: the sample's outbox queues an identical email once, and two identical emails sent
    /// at the same moment collide there.</summary>
    public static string Model(string folder, int delayMs, int variant = 0)
    {
        var path = Path.Combine(folder, $"desk-script-{variant}.json");
        if (!File.Exists(path))
        {
            var script = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.SupportDesk, "record-script.json")))!.AsObject();
            script["order"] = "per-agent";
            foreach (var call in script["replies"]!.AsArray().SelectMany(r => r!["toolCalls"]?.AsArray() ?? []))
            {
                if ((string?)call!["name"] == "send_email")
                {
                    call["arguments"]!["body"] = (string?)call["arguments"]!["body"] + $"\n\n(request {variant})";
                }
            }

            File.WriteAllText(path, script.ToJsonString());
        }

        return $"scripted:{path}?delay={delayMs}";
    }

    /// <summary>Writes the specs folder into <paramref name="folder"/> and returns it.</summary>
    public static string WriteSpecs(string folder)
    {
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.SupportDesk, "cadre.yaml"))
            .Replace("project: tools/SupportDesk.csproj", "project: " + Path.Combine(RepoPaths.SupportDesk, "tools", "SupportDesk.csproj"), StringComparison.Ordinal)
            .Replace("approvals: approvals.yaml", "approvals: " + Path.Combine(RepoPaths.SupportDesk, "approvals.yaml"), StringComparison.Ordinal)
            .Replace("replay:support.cassette.json", "replay:" + Path.Combine(RepoPaths.SupportDesk, "support.cassette.json"), StringComparison.Ordinal)
            .Replace("  write: model", "  # write: off in the cluster tests", StringComparison.Ordinal);
        var specs = Path.Combine(folder, "specs");
        Directory.CreateDirectory(Path.Combine(specs, Name));
        File.WriteAllText(Path.Combine(specs, Name, "cadre.yaml"), yaml);
        return specs;
    }

    /// <summary>Waits until the run has ended (any status but running), and returns it.</summary>
    public static async Task<RunRecord> EndedAsync(IWorkspace workspace, string runId, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            if (await workspace.Runs.GetRunAsync(runId, timeout.Token) is { } run && run.Status != RunStatus.Running)
            {
                return run;
            }

            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>How many times each side-effecting tool of the sample ran in the run, counted from the audit log
    /// (executions, not de-duplicated effects).</summary>
    public static async Task<(int Tickets, int Emails)> ExecutionsAsync(IWorkspace workspace, string runId)
    {
        var entries = await workspace.Audit.QueryAsync(new Cadre.Tools.AuditQuery { RunId = runId, Limit = 1000 });
        return (entries.Where(e => e.Tool == "create_ticket").Sum(e => e.Executions), entries.Where(e => e.Tool == "send_email").Sum(e => e.Executions));
    }
}
