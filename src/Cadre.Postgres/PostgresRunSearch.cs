using Cadre.Runs;
using Cadre.Storage;

namespace Cadre.Postgres;

/// <summary>Finds pages of runs in a PostgreSQL workspace (<see cref="IRunSearch"/>), shared by every host that opens
/// it; text matches with <c>ILIKE</c>, which ignores case for every letter.</summary>
public sealed class PostgresRunSearch(PostgresDatabase database) : IRunSearch
{
    private static readonly RunSearchQuery Query = new(name => $"@{name}::text", '@', "ILIKE");

    /// <inheritdoc />
    public async Task<RunSearchPage> PageAsync(RunStatus? status, string? text, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await Query.PageAsync(connection, status, text, offset, limit, cancellationToken);
    }
}
