using Cadre.Orleans;
using Cadre.Runs;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Orleans;

/// <summary>Which runs a silo's sweeper hands back to their grains: its cluster's runs still running whose lease lapsed
/// or was never taken — however many newer runs the workspace holds — and no other cluster's or plain run.</summary>
public sealed class RunSweeperTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Lapsed_runs_of_the_cluster_are_found_behind_any_number_of_newer_runs_and_no_others()
    {
        await using var workspace = new InMemoryWorkspace();
        var now = Start.AddMinutes(30);
        await RunAsync(workspace, "old-lapsed", Start, "c1", leaseFrom: Start);
        await RunAsync(workspace, "never-claimed", Start.AddMinutes(1), "c1");
        await RunAsync(workspace, "live", Start.AddMinutes(2), "c1", leaseFrom: now);
        await RunAsync(workspace, "other-cluster", Start.AddMinutes(3), "c2", leaseFrom: Start);
        await RunAsync(workspace, "plain-cadre-run", Start.AddMinutes(4), null, leaseFrom: Start);
        for (var i = 0; i < 6; i++)
        {
            await RunAsync(workspace, $"done-{i}", Start.AddMinutes(10 + i), "c1", status: RunStatus.Completed);
        }

        var lapsed = await RunSweeper.LapsedAsync(workspace, "c1", now, pageSize: 2, CancellationToken.None);

        Assert.Equal(["never-claimed", "old-lapsed"], lapsed.Order(StringComparer.Ordinal));
    }

    private static async Task RunAsync(InMemoryWorkspace workspace, string id, DateTimeOffset started, string? cluster, DateTimeOffset? leaseFrom = null, RunStatus status = RunStatus.Running)
    {
        var metadata = cluster is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [CadreSilo.ClusterKey] = cluster, [CadreSilo.SpecNameKey] = "desk" };
        var run = new RunRecord { Id = id, Workflow = "handoff", Task = "t", StartedAt = started, Metadata = metadata };
        await workspace.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });
        if (status != RunStatus.Running)
        {
            await workspace.Runs.UpdateRunAsync(run with { Status = status }, 0);
        }

        if (leaseFrom is { } from)
        {
            await workspace.Runs.ClaimAsync(id, new RunOwner("o-" + id, "host", 1), from, TimeSpan.FromMinutes(1));
        }
    }
}
