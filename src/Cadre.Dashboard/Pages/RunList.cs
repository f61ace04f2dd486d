using Cadre.Hosting;
using Cadre.Runs;
using Cadre.Workspaces;

namespace Cadre.Dashboard.Pages;

/// <summary>One page of runs, newest first, with what the table shows of each (agents in order, worst level).</summary>
internal static class RunList
{
    public sealed record Row(RunRecord Run, string Agents, string Level);

    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int Pages);

    public static async Task<Result> PageAsync(IWorkspace workspace, RunFilter filter, int pageSize, CancellationToken cancellationToken)
    {
        // The workspace finds the page (ids and a count); only the page's runs and steps are read.
        var status = Enum.GetValues<RunStatus>().Where(s => RunReport.Status(s) == filter.Status).Select(s => (RunStatus?)s).FirstOrDefault();
        if (filter.Status.Length > 0 && status is null)
        {
            return new Result([], 0, 1);
        }

        var search = workspace.RunSearch ?? throw new WorkspaceException("This workspace cannot search its runs; open a SQLite or PostgreSQL workspace.");
        var total = (await search.PageAsync(status, Text(filter), 0, 0, cancellationToken)).Total;
        var pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        var page = await search.PageAsync(status, Text(filter), (Math.Min(filter.Page, pages) - 1) * pageSize, pageSize, cancellationToken);
        var rows = new List<Row>();
        foreach (var id in page.RunIds)
        {
            if (await workspace.Runs.GetRunAsync(id, cancellationToken) is not { } run)
            {
                continue;
            }

            var steps = run.Steps == 0 ? [] : await workspace.Runs.GetStepsAsync(run.Id, cancellationToken);
            rows.Add(new Row(run, RunReport.Chain(steps), RunReport.WorstLevel(steps)?.Name ?? ""));
        }

        return new Result(rows, page.Total, pages);
    }

    private static string? Text(RunFilter filter) => filter.Search.Length == 0 ? null : filter.Search;
}
