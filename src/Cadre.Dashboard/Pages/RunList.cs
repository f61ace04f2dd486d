using Cadre.Hosting;
using Cadre.Workflows;

namespace Cadre.Dashboard.Pages;

/// <summary>One page of runs, newest first, with what the table shows of each (agents in order, worst level).</summary>
internal static class RunList
{
    public sealed record Row(RunRecord Run, string Agents, string Level);

    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int Pages);

    public static async Task<Result> PageAsync(IRunStore runs, RunFilter filter, int pageSize, CancellationToken cancellationToken)
    {
        // The run store lists newest first; filtering and paging happen here so any store serves the page.
        var all = await runs.ListRunsAsync(int.MaxValue, cancellationToken);
        var matching = all.Where(r =>
            (filter.Status.Length == 0 || RunReport.Status(r.Status) == filter.Status)
            && (filter.Search.Length == 0
                || r.Id.Contains(filter.Search, StringComparison.OrdinalIgnoreCase)
                || r.Task.Contains(filter.Search, StringComparison.OrdinalIgnoreCase))).ToList();
        var pages = Math.Max(1, (matching.Count + pageSize - 1) / pageSize);
        var rows = new List<Row>();
        foreach (var run in matching.Skip((Math.Min(filter.Page, pages) - 1) * pageSize).Take(pageSize))
        {
            var steps = run.Steps == 0 ? [] : await runs.GetStepsAsync(run.Id, cancellationToken);
            var level = RunReport.WorstLevel(steps);
            rows.Add(new Row(run, RunReport.Chain(steps), level?.Name ?? ""));
        }

        return new Result(rows, matching.Count, pages);
    }
}
