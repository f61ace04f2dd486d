using System.Data.Common;
using System.Runtime.InteropServices;
using Cadre.Memory;
using Cadre.Storage;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>The memory store's vector index over the workspace file: embeddings are float blobs, read into one reused
/// buffer; a deferred transaction gives the reload its snapshot (WAL).</summary>
internal sealed class SqliteMemoryVectors(SqliteDatabase database, VectorIndexOptions options) : MemoryVectors(options)
{
    private byte[] _buffer = [];

    protected override char Prefix => '$';

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenConnectionAsync(cancellationToken);

    protected override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override ReadOnlySpan<float> ReadVector(DbDataReader reader, int ordinal)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (_buffer.Length < length)
        {
            _buffer = new byte[length];
        }

        reader.GetBytes(ordinal, 0, _buffer, 0, length);
        return MemoryMarshal.Cast<byte, float>(_buffer.AsSpan(0, length));
    }
}
