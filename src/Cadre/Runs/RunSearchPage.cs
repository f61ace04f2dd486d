namespace Cadre.Runs;

/// <summary>A page of runs found by an <see cref="IRunSearch"/>.</summary>
/// <param name="RunIds">The runs of the page, newest first.</param>
/// <param name="Total">How many runs match in all, on every page.</param>
public sealed record RunSearchPage(IReadOnlyList<string> RunIds, int Total);
