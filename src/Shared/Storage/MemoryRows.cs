using System.Data.Common;
using System.Text.Json;
using Cadre.Memory;
using Cadre.Workspaces;

namespace Cadre.Storage;

/// <summary>The <c>memories</c> table's row, the same in both databases but for how each keeps times (through
/// <see cref="IStoreTimes"/>), the metadata column's type and the embedding's encoding.</summary>
internal static class MemoryRows
{
    /// <summary>The memory columns read by <see cref="Read"/>, from table alias <c>m</c>: <c>seq</c> at 0, then the
    /// record from 1 to 11. <paramref name="metadata"/> is the expression that reads the metadata as JSON text.</summary>
    public static string Columns(string metadata) =>
        $"m.seq, m.id, m.tenant, m.team, m.agent, m.text, {metadata}, m.importance, m.created_at, m.updated_at, m.source, m.embedding_model";

    /// <summary>The names (without the dialect's prefix) of the write parameters <see cref="Bind"/> fills, in order:
    /// the record's columns, then <c>embedding</c>, <c>model</c> and the search <c>terms</c>.</summary>
    public static readonly string[] ParameterNames = ["id", "t", "tm", "ag", "text", "fp", "metadata", "importance", "created", "updated", "source", "embedding", "model", "terms"];

    /// <summary>The JSON options of every memory table's JSON columns: web defaults (camelCase), as they have always
    /// been written; reading them otherwise would lose fields.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The first 16 bytes of the SHA-256 fingerprint, the key of the unique index: small and fast to compare;
    /// collisions are out of reach.</summary>
    public static byte[] FingerprintKey(string fingerprint) => Convert.FromHexString(fingerprint.AsSpan(0, 32));

    /// <summary>The space-separated search terms stored beside a memory (<see cref="TextTerms.Keywords"/>), the terms
    /// keyword search matches and ranks.</summary>
    public static string Terms(string text) => string.Join(' ', TextTerms.Keywords(text));

    /// <summary>Reads a scope from three text columns (tenant, team, agent) starting at <paramref name="ordinal"/>.</summary>
    public static MemoryScope Scope(DbDataReader reader, int ordinal) =>
        new(reader.GetString(ordinal), reader.GetString(ordinal + 1), reader.GetString(ordinal + 2));

    /// <summary>Sets the parameters named by <see cref="ParameterNames"/> (in that order) to a record's values;
    /// <paramref name="embedding"/> is the embedding as the database stores it (used only when the record has one).</summary>
    public static void Bind(DbParameter[] p, MemoryRecord record, IStoreTimes times, object embedding)
    {
        p[0].Value = record.Id;
        p[1].Value = record.Scope.Tenant;
        p[2].Value = record.Scope.Team;
        p[3].Value = record.Scope.Agent;
        p[4].Value = record.Text;
        p[5].Value = FingerprintKey(record.Fingerprint);
        p[6].Value = JsonSerializer.Serialize(record.Metadata, Json);
        p[7].Value = record.Importance;
        p[8].Value = times.Write(record.CreatedAt);
        p[9].Value = times.Write(record.UpdatedAt);
        p[10].Value = record.Source is null ? DBNull.Value : JsonSerializer.Serialize(record.Source, Json);
        p[11].Value = record.Embedding.IsEmpty ? DBNull.Value : embedding;
        p[12].Value = record.Embedding.IsEmpty ? DBNull.Value : (object?)record.EmbeddingModel ?? DBNull.Value;
        p[13].Value = Terms(record.Text);
    }

    /// <summary>Reads a record (without its embedding) from a row of <see cref="Columns"/>.</summary>
    /// <exception cref="WorkspaceException">The row's JSON is damaged; <paramref name="source"/> (such as "the workspace
    /// file") says where.</exception>
    public static MemoryRecord Read(DbDataReader reader, IStoreTimes times, string source)
    {
        try
        {
            return new MemoryRecord
            {
                Id = reader.GetString(1),
                Scope = Scope(reader, 2),
                Text = reader.GetString(5),
                Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6), Json) ?? [],
                Importance = reader.GetDouble(7),
                CreatedAt = times.Read(reader, 8),
                UpdatedAt = times.Read(reader, 9),
                Source = reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<MemorySource>(reader.GetString(10), Json),
                EmbeddingModel = StoreRows.NullableString(reader, 11),
            };
        }
        catch (JsonException ex)
        {
            throw new WorkspaceException($"Memory '{reader.GetString(1)}' is damaged in {source} ({ex.Message}).", ex);
        }
    }
}
