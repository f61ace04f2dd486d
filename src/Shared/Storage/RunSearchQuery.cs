using System.Data.Common;
using System.Globalization;
using Cadre.Runs;

namespace Cadre.Storage;

/// <summary>The run search's SQL over the <c>runs</c> table, the same in both databases but for how a text parameter
/// is written and which operator matches text ignoring case.</summary>
/// <param name="Text">The SQL of a text parameter by name (<c>$status</c>, or <c>@status::text</c>: PostgreSQL needs
/// the type of a parameter that may be null).</param>
/// <param name="Prefix">The parameter prefix (<c>$</c> or <c>@</c>).</param>
/// <param name="Like">The operator that matches a pattern (<c>LIKE</c> or <c>ILIKE</c>).</param>
internal sealed record RunSearchQuery(Func<string, string> Text, char Prefix, string Like)
{
    /// <summary>One page of run ids, newest first, with the count of all matches, as <see cref="IRunSearch.PageAsync"/>
    /// describes; read over <paramref name="connection"/>, which the caller opens and closes.</summary>
    public async Task<RunSearchPage> PageAsync(DbConnection connection, RunStatus? status, string? text, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (s, t) = (Text("status"), Text("text"));
        var where = $"WHERE ({s} IS NULL OR status = {s}) AND ({t} IS NULL OR id {Like} {t} ESCAPE '\\' OR task {Like} {t} ESCAPE '\\')";
        var pattern = text is null ? null : "%" + StoreRows.EscapeLike(text) + "%";
        await using var count = Command(connection, $"SELECT count(*) FROM runs {where};", status, pattern);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var page = Command(connection, $"SELECT id FROM runs {where} ORDER BY started_at DESC, id DESC LIMIT {Prefix}limit OFFSET {Prefix}offset;", status, pattern);
        Add(page, "limit", limit);
        Add(page, "offset", offset);
        var ids = new List<string>();
        await using var reader = await page.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return new RunSearchPage(ids, total);
    }

    private DbCommand Command(DbConnection connection, string sql, RunStatus? status, string? pattern)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "status", (object?)status?.ToString() ?? DBNull.Value);
        Add(command, "text", (object?)pattern ?? DBNull.Value);
        return command;
    }

    private void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = Prefix + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
