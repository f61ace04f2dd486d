using System.Data;
using System.Data.Common;
using Cadre.Memory;
using Cadre.Storage;
using Npgsql;

namespace Cadre.Postgres.Memory;

/// <summary>The memory store's vector index over PostgreSQL: embeddings are <c>real[]</c>; a repeatable-read
/// transaction gives the reload its snapshot.</summary>
internal sealed class PostgresMemoryVectors(PostgresDatabase database, VectorIndexOptions options) : MemoryVectors(options)
{
    protected override char Prefix => '@';

    // Identity values are handed out before commit, so a change committed late may carry a number below one already
    // applied; re-reading a window behind the mark catches it (applying a change twice is harmless).
    protected override long RereadWindow => 1000;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenConnectionAsync(cancellationToken);

    protected override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    protected override ReadOnlySpan<float> ReadVector(DbDataReader reader, int ordinal) => reader.GetFieldValue<float[]>(ordinal);
}
