namespace Cadre.Sqlite;

/// <summary>A page of runs found by <see cref="SqliteRunSearch"/>.</summary>
/// <param name="RunIds">The runs of the page, newest first.</param>
/// <param name="Total">How many runs match in all.</param>
public sealed record RunSearchPage(IReadOnlyList<string> RunIds, int Total);
