using Cadre.Runs;
using Cadre.Storage;

namespace Cadre.Sqlite;

/// <summary>Finds pages of runs in the workspace file (<see cref="IRunSearch"/>); text matches with <c>LIKE</c>, which
/// ignores case for ASCII letters only.</summary>
public sealed class SqliteRunSearch(SqliteDatabase database) : IRunSearch
{
    private static readonly RunSearchQuery Query = new(name => "$" + name, '$', "LIKE");

    /// <inheritdoc />
    public async Task<RunSearchPage> PageAsync(RunStatus? status, string? text, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await Query.PageAsync(connection, status, text, offset, limit, cancellationToken);
    }
}
