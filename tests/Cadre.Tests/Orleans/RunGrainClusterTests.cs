using Cadre.Orleans;
using Cadre.Postgres;
using Cadre.Runs;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Cadre.Tests.Orleans;

/// <summary>
/// The run grain on three silos in this process (Orleans' <see cref="InProcessTestCluster"/> and its own membership;
/// the ADO.NET clustering on PostgreSQL is tested with real <c>cadre serve</c> processes), sharing a real PostgreSQL
/// workspace. The runs are
/// the support-desk sample with its recorded answers slowed down, so a silo can be killed in the middle of one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RunGrainClusterTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();
    private InProcessTestCluster _cluster = null!;
    private PostgresWorkspace _workspace = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _url = await server.CreateDatabaseAsync();
        var specs = ClusterDesk.WriteSpecs(_dir.Path);
        var builder = new InProcessTestClusterBuilder(3);
        var clusterId = builder.Options.ClusterId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.UseCadre(o =>
            {
                o.SpecsFolder = specs;
                o.Workspace = _url;
                o.ClusterId = clusterId;
                o.LeaseDuration = TimeSpan.FromSeconds(2);
                o.SweepInterval = TimeSpan.FromMilliseconds(500);
                o.Host = new Cadre.Hosting.CadreHostOptions { CurrentDirectory = _dir.Path };
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _workspace = await PostgresWorkspace.OpenAsync(_url);
    }

    public async Task DisposeAsync()
    {
        await _workspace.DisposeAsync();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private IRunGrain Grain(string id) => _cluster.Client.GetGrain<IRunGrain>(id);

    private static string NewId() => RunIds.New(TimeProvider.System);

    [Fact]
    public async Task A_run_submitted_to_the_cluster_completes_with_each_side_effect_executed_once()
    {
        var id = NewId();
        var activity = await Grain(id).StartAsync(new RunSubmission(ClusterDesk.Name, RepoPaths.SupportDeskTask, ClusterDesk.Model(_dir.Path, 0)));
        Assert.Equal(id, activity.RunId);

        var run = await ClusterDesk.EndedAsync(_workspace, id, Limit);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((1, 1), await ClusterDesk.ExecutionsAsync(_workspace, id));
        Assert.Equal(ClusterDesk.Name, run.Metadata["cluster.spec"]);
    }

    [Fact]
    public async Task A_spec_the_silos_do_not_serve_or_a_path_is_refused_at_submission()
    {
        var unknown = await Assert.ThrowsAnyAsync<ArgumentException>(() => Grain(NewId()).StartAsync(new RunSubmission("nope", "hello")));
        Assert.Contains("no spec 'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(ClusterDesk.Name, unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Grain(NewId()).StartAsync(new RunSubmission("../desk", "hello")));
        Assert.Empty(await _workspace.Runs.ListRunsAsync());
    }

    [Fact]
    public async Task Killing_the_silo_that_drives_a_run_lets_another_silo_finish_it_from_its_last_checkpoint()
    {
        // The run must not live on the first silo: the client's gateway is there. Asking a fresh grain where it is
        // activates it without starting anything, so ids are tried until one lands elsewhere and only that one runs
        // (no run is made just to be placed, so the sample's email limit is never spent on placement).
        var primary = _cluster.Silos[0].SiloAddress.ToString();
        string id;
        var tries = 0;
        do
        {
            id = NewId();
        }
        while ((await Grain(id).GetActivityAsync()).Silo == primary && ++tries < 100);

        var activity = await Grain(id).StartAsync(new RunSubmission(ClusterDesk.Name, RepoPaths.SupportDeskTask, ClusterDesk.Model(_dir.Path, 400)));
        Assert.NotEqual(primary, activity.Silo);

        // Killed after its first step is committed, before it ends.
        using (var wait = new CancellationTokenSource(Limit))
        {
            while ((await _workspace.Runs.GetStepsAsync(id, wait.Token)).Count < 1)
            {
                await Task.Delay(50, wait.Token);
            }
        }

        var before = (await _workspace.Runs.GetStepsAsync(id)).Count;
        var firstLease = await _workspace.Runs.GetLeaseAsync(id);
        var victim = _cluster.Silos.Single(s => s.SiloAddress.ToString() == activity.Silo);
        await _cluster.KillSiloAsync(victim);
        output.WriteLine($"killed {activity.Silo} after {before} committed steps");

        var run = await ClusterDesk.EndedAsync(_workspace, id, Limit);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((1, 1), await ClusterDesk.ExecutionsAsync(_workspace, id));
        var lease = await _workspace.Runs.GetLeaseAsync(id);
        Assert.True(lease!.Epoch > firstLease!.Epoch, $"the run was not taken over: epoch {lease.Epoch}");
        var steps = await _workspace.Runs.GetStepsAsync(id);
        Assert.Equal(steps.Count, steps.Select(s => s.Index).Distinct().Count());
        Assert.NotEqual(activity.Silo, (await Grain(id).GetActivityAsync()).Silo);
    }

    [Fact]
    public async Task The_same_run_submitted_twice_at_once_has_one_owner_and_runs_once()
    {
        var id = NewId();
        var submission = new RunSubmission(ClusterDesk.Name, RepoPaths.SupportDeskTask, ClusterDesk.Model(_dir.Path, 100));
        var both = await Task.WhenAll(Grain(id).StartAsync(submission), Grain(id).StartAsync(submission));
        Assert.Equal(both[0].Silo, both[1].Silo);

        var run = await ClusterDesk.EndedAsync(_workspace, id, Limit);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((1, 1), await ClusterDesk.ExecutionsAsync(_workspace, id));
        Assert.Equal(1, (await _workspace.Runs.GetLeaseAsync(id))!.Epoch);
        Assert.Single(await _workspace.Runs.ListRunsAsync());

        // Submitted again after it ended: nothing runs again.
        await Grain(id).StartAsync(submission);
        await Task.Delay(500);
        Assert.Equal((1, 1), await ClusterDesk.ExecutionsAsync(_workspace, id));
        Assert.Equal(1, (await _workspace.Runs.GetLeaseAsync(id))!.Epoch);
    }
}
