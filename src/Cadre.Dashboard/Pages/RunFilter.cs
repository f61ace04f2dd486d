using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard.Pages;

/// <summary>Which runs the runs page shows: a status word, a search text (run id or task), a page from 1.</summary>
internal sealed record RunFilter(string Status, string Search, int Page)
{
    public bool IsEmpty => Status.Length == 0 && Search.Length == 0;

    public static RunFilter From(IQueryCollection query) => new(
        query["status"].ToString().Trim(),
        query["q"].ToString().Trim(),
        int.TryParse(query["page"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1);

    public string ToQuery() => Html.Query(("q", Search), ("status", Status), ("page", Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null));
}
