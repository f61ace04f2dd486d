using Cadre.Hosting;

namespace Cadre.Orleans;

/// <summary>How a silo runs specs: the folder its specs are loaded from, the workspace every silo of the cluster
/// shares, and how fast a dead host's runs are taken over.</summary>
public sealed class CadreClusterOptions
{
    /// <summary>The folder whose specs (sub-folders with a <c>cadre.yaml</c>, or <c>.yaml</c> files) this silo
    /// serves; a submission names one of them.</summary>
    public string SpecsFolder { get; set; } = "";

    /// <summary>The workspace all silos share: a <c>postgres://</c> URL (or a SQLite folder for a single silo).</summary>
    public string Workspace { get; set; } = "";

    /// <summary>The cluster's name: runs submitted to it are marked with it, and a silo takes over only runs that
    /// carry it (not a run someone started with <c>cadre run</c> on the same workspace).</summary>
    public string ClusterId { get; set; } = "cadre";

    /// <summary>How long a run's lease lasts without a heartbeat (renewed every third of it). A host that dies leaves
    /// its runs to the others once this has passed: the time to recover is about this plus <see cref="SweepInterval"/>.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each silo looks for runs of the cluster whose lease lapsed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where runs are loaded and run: current folder (where tools keep their files next to a PostgreSQL
    /// workspace), environment, clock, logger.</summary>
    public CadreHostOptions Host { get; set; } = new();
}
