using System.Collections.Concurrent;
using System.Globalization;
using Cadre.Hosting;
using Cadre.Runs;
using Cadre.Specs;
using Cadre.Postgres;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cadre.Dashboard;

/// <summary>What every page works with: the workspace (opened once), the options, and the host that continues runs
/// after a person decided (a resumed run, a retried dead letter) in the background.</summary>
internal sealed class DashboardContext : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _work = [];
    private readonly List<string> _notices = [];
    private readonly ConcurrentDictionary<string, TokenPrice?> _prices = new(StringComparer.Ordinal);

    /// <param name="options">The dashboard's options: operator, page size, live interval and clock.</param>
    /// <param name="workspace">The open workspace, SQLite or PostgreSQL.</param>
    /// <param name="location">Where it is, as runs resumed from the dashboard open it again: the SQLite folder's full
    /// path or the PostgreSQL location as given.</param>
    public DashboardContext(DashboardOptions options, IWorkspace workspace, string location)
    {
        Options = options;
        Workspace = workspace;
        WorkspaceLocation = location;
        var logger = options.Logging?.CreateLogger("Cadre.Dashboard") ?? NullLogger.Instance;
        Logger = logger;
        var host = new CadreHostOptions { CurrentDirectory = options.CurrentDirectory, Time = options.Time, Logger = logger };
        Host = new RunHost(host);
        WorkspaceFolder = Hosting.WorkspaceLocation.FolderFor(host, workspace);
        // Never the location itself for a PostgreSQL workspace: it may hold a password.
        WorkspaceName = workspace is PostgresWorkspace postgres ? postgres.Database.Name : WorkspaceFolder;
    }

    public DashboardOptions Options { get; }

    public IWorkspace Workspace { get; }

    public RunHost Host { get; }

    public ILogger Logger { get; }

    public TimeProvider Time => Options.Time;

    /// <summary>Where the workspace is, to open it again (see the constructor).</summary>
    public string WorkspaceLocation { get; }

    /// <summary>The folder tools keep their files in: the SQLite workspace's, or <c>.cadre</c> beside a PostgreSQL one.</summary>
    public string WorkspaceFolder { get; }

    /// <summary>The workspace as every page's header shows it, without a password.</summary>
    public string WorkspaceName { get; }

    /// <summary>What background work said lately (a resumed run that failed to start, say), newest first.</summary>
    public IReadOnlyList<string> Notices
    {
        get
        {
            lock (_gate)
            {
                return [.. _notices];
            }
        }
    }

    /// <summary>Continues work in the background (a run resumed after an approval): the page answers at once and the
    /// run's own page shows its progress.</summary>
    public void Continue(string what, Func<CancellationToken, Task> work)
    {
        lock (_gate)
        {
            _work.RemoveAll(t => t.IsCompleted);
            _work.Add(Task.Run(async () =>
            {
                try
                {
                    await work(_stopping.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                }
#pragma warning disable CA1031 // Background work reports its failure on the pages instead of ending the app.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Notice($"{what} failed: {ex.Message}");
                }
            }));
        }
    }

    /// <summary>What a run cost, by the price its spec sets (<c>workflow.price</c>); empty when it sets none.</summary>
    public string CostOf(RunRecord run)
    {
        if (!run.Metadata.TryGetValue("spec", out var spec))
        {
            return "";
        }

        var price = _prices.GetOrAdd(spec, path =>
        {
            try
            {
                return SpecLoader.Load(path).Workflow.Price;
            }
            catch (Exception ex) when (ex is SpecException or IOException or UnauthorizedAccessException)
            {
                return null;
            }
        });
        return price is null ? "" : price.CostOf(run.Usage).ToString("0.0000", CultureInfo.InvariantCulture);
    }

    public void Notice(string text)
    {
        lock (_gate)
        {
            _notices.Insert(0, $"{Html.Time(Time.GetUtcNow())} {text}");
            if (_notices.Count > 20)
            {
                _notices.RemoveAt(_notices.Count - 1);
            }
        }
    }

    /// <summary>Waits for the background work to finish (tests, orderly shutdown).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_work.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await WhenIdleAsync();
        }
        finally
        {
            _stopping.Dispose();
            await Workspace.DisposeAsync();
        }
    }
}
