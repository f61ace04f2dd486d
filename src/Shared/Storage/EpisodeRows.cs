using System.Data.Common;
using System.Text.Json;
using Cadre.Conversations;
using Cadre.Memory.Episodes;
using Cadre.Workspaces;

namespace Cadre.Storage;

/// <summary>The <c>episodes</c> row, the same in both databases but for times (<see cref="IStoreTimes"/>), the cost's
/// type and the embedding's encoding, which each store reads itself.</summary>
internal static class EpisodeRows
{
    /// <summary>Reads an episode from a row of the stores' episode columns (id, scope, task, ..., embedding at 17,
    /// embedding model at 18). <paramref name="cost"/> reads the non-null cost column and <paramref name="embedding"/>
    /// the non-null embedding column.</summary>
    /// <exception cref="WorkspaceException">The row is damaged; <paramref name="source"/> (such as "the workspace
    /// file") says where.</exception>
    public static Episode Read(DbDataReader reader, IStoreTimes times, string source, Func<DbDataReader, int, decimal> cost, Func<DbDataReader, int, float[]> embedding)
    {
        try
        {
            return new Episode
            {
                Id = reader.GetString(0),
                Scope = MemoryRows.Scope(reader, 1),
                Task = reader.GetString(4),
                TaskType = reader.GetString(5),
                Agents = JsonSerializer.Deserialize<List<string>>(reader.GetString(6), MemoryRows.Json) ?? [],
                Steps = JsonSerializer.Deserialize<List<EpisodeStep>>(reader.GetString(7), MemoryRows.Json) ?? [],
                Outcome = Enum.Parse<EpisodeOutcome>(reader.GetString(8)),
                Result = reader.GetString(9),
                Lessons = JsonSerializer.Deserialize<List<string>>(reader.GetString(10), MemoryRows.Json) ?? [],
                StartedAt = times.Read(reader, 11),
                Duration = TimeSpan.FromMilliseconds(reader.GetDouble(12)),
                Usage = new TokenUsage(reader.GetInt64(13), reader.GetInt64(14)),
                Cost = reader.IsDBNull(15) ? null : cost(reader, 15),
                RecordedAt = times.Read(reader, 16),
                Embedding = reader.IsDBNull(17) ? default : embedding(reader, 17),
                EmbeddingModel = StoreRows.NullableString(reader, 18),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw new WorkspaceException($"Episode '{reader.GetString(0)}' is damaged in {source} ({ex.Message}).", ex);
        }
    }
}
