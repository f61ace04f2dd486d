using System.Data.Common;
using System.Text.Json;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Workspaces;

namespace Cadre.Storage;

/// <summary>The knowledge graph's <c>facts</c> and <c>entities</c> rows, the same in both databases but for how each
/// keeps times (<see cref="IStoreTimes"/>).</summary>
internal static class KnowledgeRows
{
    /// <summary>The fact columns <see cref="ReadFact"/> reads, from table alias <c>f</c>.</summary>
    public const string FactColumns = "f.id, f.tenant, f.team, f.agent, f.subject, f.relation, f.object, f.object_is_entity, f.valid_from, f.valid_to, " +
                                      "f.recorded_at, f.superseded_by, f.source, f.confidence";

    /// <summary>The entity columns <see cref="ReadEntity"/> reads, from table alias <c>e</c>.</summary>
    public const string EntityColumns = "e.name, e.tenant, e.team, e.agent, e.type, e.description, e.created_at, e.updated_at";

    public static Entity ReadEntity(DbDataReader reader, IStoreTimes times) => new()
    {
        Name = reader.GetString(0),
        Scope = MemoryRows.Scope(reader, 1),
        Type = reader.GetString(4),
        Description = reader.GetString(5),
        CreatedAt = times.Read(reader, 6),
        UpdatedAt = times.Read(reader, 7),
    };

    /// <summary>Reads a fact from a row of <see cref="FactColumns"/>.</summary>
    /// <exception cref="WorkspaceException">The row's source is damaged JSON; <paramref name="source"/> (such as "the
    /// workspace file") says where.</exception>
    public static Fact ReadFact(DbDataReader reader, IStoreTimes times, string source)
    {
        try
        {
            return new Fact
            {
                Id = reader.GetString(0),
                Scope = MemoryRows.Scope(reader, 1),
                Subject = reader.GetString(4),
                Relation = reader.GetString(5),
                Object = reader.GetString(6),
                ObjectIsEntity = reader.GetBoolean(7),
                ValidFrom = times.Read(reader, 8),
                ValidTo = times.NullableTime(reader, 9),
                RecordedAt = times.Read(reader, 10),
                SupersededBy = StoreRows.NullableString(reader, 11),
                Source = reader.IsDBNull(12) ? null : JsonSerializer.Deserialize<MemorySource>(reader.GetString(12), MemoryRows.Json),
                Confidence = reader.GetDouble(13),
            };
        }
        catch (JsonException ex)
        {
            throw new WorkspaceException($"Fact '{reader.GetString(0)}' is damaged in {source} ({ex.Message}).", ex);
        }
    }
}
