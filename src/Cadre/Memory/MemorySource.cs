namespace Cadre.Memory;

/// <summary>Where a memory (or a fact, or an episode) came from: what wrote it and, when it was learned during a
/// run, which run and agent.</summary>
/// <param name="Origin">What wrote it: <c>api</c>, <c>writer</c> (extracted by a model), <c>cli</c>,
/// <c>import</c>...</param>
/// <param name="RunId">The run it was learned in, if any.</param>
/// <param name="Agent">The agent it was learned from, if any.</param>
public sealed record MemorySource(string Origin, string? RunId = null, string? Agent = null)
{
    private readonly MemoryTrust? _trust;

    /// <summary>A memory stored through the library API without saying by whom (agents' own memory calls too), so
    /// untrusted; use <see cref="Operator"/> for what the operator writes.</summary>
    public static MemorySource Api { get; } = new("api");

    /// <summary>A memory the operator wrote through the library API: trusted.</summary>
    public static MemorySource Operator { get; } = new("operator") { Kind = MemorySourceKind.Operator };

    /// <summary>A memory the operator stored from the command line.</summary>
    public static MemorySource CommandLine { get; } = new("cli") { Kind = MemorySourceKind.Operator };

    /// <summary>What kind of writer it was (user turn, agent, tool result, operator, import).</summary>
    public MemorySourceKind Kind { get; init; }

    /// <summary>How far it is trusted: as set, else trusted for the operator and imports (and, for memories written
    /// before provenance was kept, the origins <c>cli</c> and <c>import</c>), untrusted otherwise.</summary>
    public MemoryTrust Trust
    {
        get => _trust ?? (Kind is MemorySourceKind.Operator or MemorySourceKind.Import
            || (Kind == MemorySourceKind.Unknown && Origin is "cli" or "import")
                ? MemoryTrust.Trusted
                : MemoryTrust.Untrusted);
        init => _trust = value;
    }

    /// <summary>Two sources are equal when they say the same: the trust compared is the effective one, whether it
    /// was set or follows from the kind.</summary>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(MemorySource? other) =>
        other is not null && Origin == other.Origin && RunId == other.RunId && Agent == other.Agent && Kind == other.Kind && Trust == other.Trust;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Origin, RunId, Agent, Kind, Trust);

    /// <summary>A one-line description for provenance notes: <c>writer, run r261124-1415-a3f9, agent billing</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { Origin };
        if (!string.IsNullOrEmpty(RunId))
        {
            parts.Add("run " + RunId);
        }

        if (!string.IsNullOrEmpty(Agent))
        {
            parts.Add("agent " + Agent);
        }

        return string.Join(", ", parts);
    }
}
