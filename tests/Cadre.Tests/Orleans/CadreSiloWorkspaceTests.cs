using Cadre.Orleans;
using Cadre.Tests.Support;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cadre.Tests.Orleans;

/// <summary>A silo opens its PostgreSQL workspace once and every run it drives shares it; the workspace is closed when
/// the silo's services are disposed, not before the runs still driven there have stopped.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CadreSiloWorkspaceTests(PostgresServer server)
{
    [Fact]
    public async Task The_silo_shares_one_workspace_with_its_runs_and_closes_it_once_they_have_stopped()
    {
        var url = await server.CreateDatabaseAsync();
        using var dir = new TempDirectory();
        var specs = ClusterDesk.WriteSpecs(dir.Path);
        var options = new CadreClusterOptions { SpecsFolder = specs, Workspace = url, LeaseDuration = TimeSpan.FromMinutes(5) };
        var silo = new CadreSilo(Options.Create(options), new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance));

        var workspace = await silo.WorkspaceAsync(CancellationToken.None);
        Assert.Same(workspace, await silo.WorkspaceAsync(CancellationToken.None));
        Assert.Same(workspace, silo.SettingsFor(ClusterDesk.Name, null, "r1", workspace).OpenWorkspace);

        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        silo.Track(run.Task);
        var disposing = silo.DisposeAsync().AsTask();

        // A run still driven here keeps the workspace open.
        Assert.False(disposing.IsCompleted);
        Assert.Empty(await workspace.Runs.ListRunsAsync());

        run.SetResult();
        await disposing;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => workspace.Runs.ListRunsAsync());
    }
}
