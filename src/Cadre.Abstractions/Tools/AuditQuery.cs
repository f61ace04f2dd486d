namespace Cadre.Tools;

/// <summary>Which audit entries to read; every filter left null matches everything.</summary>
public sealed record AuditQuery
{
    /// <summary>Only this run's calls.</summary>
    public string? RunId { get; init; }

    /// <summary>Only calls of this tool.</summary>
    public string? Tool { get; init; }

    /// <summary>Only calls by this agent.</summary>
    public string? Agent { get; init; }

    /// <summary>Only calls that ended this way.</summary>
    public ToolCallStatus? Status { get; init; }

    /// <summary>The most entries to return, newest last (default 1000).</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>True when <paramref name="entry"/> passes the filters.</summary>
    public bool Matches(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (RunId is null || entry.RunId == RunId)
            && (Tool is null || entry.Tool == Tool)
            && (Agent is null || entry.Agent == Agent)
            && (Status is null || entry.Status == Status);
    }
}
