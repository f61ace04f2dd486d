namespace Cadre.Memory.Episodes;

/// <summary>One step of an episode, as much as is worth remembering: who worked, which tools it used, whom it handed
/// to.</summary>
/// <param name="Agent">The name of the agent that worked on the step.</param>
/// <param name="Tools">The tools it called, in order.</param>
/// <param name="HandedOffTo">The agent it handed the thread to, if any.</param>
public sealed record EpisodeStep(string Agent, IReadOnlyList<string> Tools, string? HandedOffTo = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        Agent + (Tools.Count > 0 ? " used " + string.Join(", ", Tools) : "") + (HandedOffTo is null ? "" : $" and handed off to {HandedOffTo}");
}
