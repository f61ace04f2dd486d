namespace Cadre.Sqlite;

/// <summary>Finds a page of runs in the workspace file — by status and by text in the id or task, newest first —
/// without loading the others: what a runs page over thousands of runs needs. It only reads the runs table; read the
/// runs themselves with <see cref="SqliteRunStore.GetRunAsync"/>.</summary>
/// <param name="database">The workspace database.</param>
public sealed class SqliteRunSearch(SqliteDatabase database)
{
    /// <summary>One page of matching run ids and how many match in all.</summary>
    /// <param name="status">Only runs with this status (its name, <c>Completed</c>); all when null.</param>
    /// <param name="text">Only runs whose id or task contains this (case-insensitive for ASCII); all when null.</param>
    /// <param name="offset">How many matching runs to skip, newest first.</param>
    /// <param name="limit">At most this many ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    public async Task<RunSearchPage> PageAsync(string? status, string? text, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        const string Where = "WHERE ($status IS NULL OR status = $status) AND ($text IS NULL OR id LIKE $text ESCAPE '\\' OR task LIKE $text ESCAPE '\\')";
        (string, object?)[] parameters = [("$status", status), ("$text", text is null ? null : "%" + SqliteText.EscapeLike(text) + "%")];
        var total = await SqliteCommands.ScalarAsync(connection, null, $"SELECT count(*) FROM runs {Where};", cancellationToken, parameters);
        await using var command = SqliteCommands.Command(connection, null,
            $"SELECT id FROM runs {Where} ORDER BY started_at DESC, id DESC LIMIT $limit OFFSET $offset;", [.. parameters, ("$limit", limit), ("$offset", offset)]);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return new RunSearchPage(ids, (int)total);
    }
}
