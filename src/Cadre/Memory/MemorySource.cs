namespace Cadre.Memory;

/// <summary>Where a memory (or a fact, or an episode) came from: what wrote it and, when it was learned during a
/// run, which run and agent.</summary>
/// <param name="Origin">What wrote it: <c>api</c>, <c>writer</c> (extracted by a model), <c>cli</c>,
/// <c>import</c>...</param>
/// <param name="RunId">The run it was learned in, if any.</param>
/// <param name="Agent">The agent it was learned from, if any.</param>
public sealed record MemorySource(string Origin, string? RunId = null, string? Agent = null)
{
    /// <summary>A memory stored through the library API.</summary>
    public static MemorySource Api { get; } = new("api");

    /// <summary>A one-line description for provenance notes: <c>writer, run r261124-1415-a3f9, agent billing</c>.</summary>
    /// <returns>The description.</returns>
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
