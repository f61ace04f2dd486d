using Microsoft.Extensions.Logging;

namespace Cadre.Dashboard;

/// <summary>What <c>cadre dashboard</c> serves and where.</summary>
public sealed record DashboardOptions
{
    /// <summary>The workspace: a folder (<c>.cadre</c>, say), resolved against <see cref="CurrentDirectory"/>, or a
    /// <c>postgres://user@host:port/database</c> URL (or Npgsql connection string) that a cluster of hosts shares.</summary>
    public required string Workspace { get; init; }

    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; init; } = 5170;

    /// <summary>The address to listen on: the loopback address by default, so only this machine can reach it.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The folder relative paths (workspace, specs recorded by runs) start from.</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The spec whose tools the tools page lists; the newest run's spec when null.</summary>
    public string? Spec { get; init; }

    /// <summary>The name a decision is recorded under unless the person types another.</summary>
    public string Operator { get; init; } = Environment.UserName;

    /// <summary>How often live parts of a page look for changes.</summary>
    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many runs the runs page lists at a time (50 by default).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>The clock of decisions and resumed runs.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the app and the runs it continues log; nowhere when null.</summary>
    public ILoggerFactory? Logging { get; init; }
}
