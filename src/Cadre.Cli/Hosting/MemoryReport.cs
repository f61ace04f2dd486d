using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;

namespace Cadre.Cli.Hosting;

/// <summary>Renders memories, facts, episodes and audit entries for people (tables) and scripts (JSON).</summary>
internal static class MemoryReport
{
    /// <summary>A memory as JSON.</summary>
    /// <returns>A new object; field names in camelCase, times as ISO 8601.</returns>
    public static JsonObject ToJson(MemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JsonObject
        {
            ["id"] = record.Id,
            ["scope"] = record.Scope.ToString(),
            ["text"] = record.Text,
            ["metadata"] = new JsonObject(record.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["importance"] = record.Importance,
            ["createdAt"] = record.CreatedAt,
            ["updatedAt"] = record.UpdatedAt,
            ["source"] = record.Source?.ToString(),
            ["trust"] = (record.Source?.Trust ?? Cadre.Memory.MemoryTrust.Untrusted).ToString().ToLowerInvariant(),
        };
    }

    /// <summary>A recalled memory as JSON, with why it was recalled.</summary>
    /// <returns>A new object; field names in camelCase, times as ISO 8601.</returns>
    public static JsonObject ToJson(RecalledMemory recalled)
    {
        ArgumentNullException.ThrowIfNull(recalled);
        var json = ToJson(recalled.Record);
        json["score"] = Math.Round(recalled.Score, 4);
        json["relevance"] = Math.Round(recalled.Relevance, 4);
        json["keywordRank"] = recalled.KeywordRank;
        json["vectorRank"] = recalled.VectorRank;
        return json;
    }

    /// <summary>A fact as JSON.</summary>
    /// <returns>A new object; field names in camelCase, times as ISO 8601.</returns>
    public static JsonObject ToJson(Fact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return new JsonObject
        {
            ["id"] = fact.Id,
            ["scope"] = fact.Scope.ToString(),
            ["subject"] = fact.Subject,
            ["relation"] = fact.Relation,
            ["object"] = fact.Object,
            ["objectIsEntity"] = fact.ObjectIsEntity,
            ["validFrom"] = fact.ValidFrom,
            ["validTo"] = fact.ValidTo,
            ["supersededBy"] = fact.SupersededBy,
            ["recordedAt"] = fact.RecordedAt,
            ["source"] = fact.Source?.ToString(),
            ["confidence"] = fact.Confidence,
        };
    }

    /// <summary>An episode as JSON.</summary>
    /// <param name="episode">The episode, written in full: agents, steps, lessons, result, usage and cost.</param>
    /// <param name="score">Its similarity to a query, rounded to 4 places; no <c>score</c> field when null.</param>
    /// <returns>A new object; field names in camelCase, times as ISO 8601, the duration in milliseconds.</returns>
    public static JsonObject ToJson(Episode episode, double? score = null)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var json = new JsonObject
        {
            ["id"] = episode.Id,
            ["scope"] = episode.Scope.ToString(),
            ["task"] = episode.Task,
            ["taskType"] = episode.TaskType,
            ["outcome"] = episode.Outcome.ToString().ToLowerInvariant(),
            ["agents"] = new JsonArray(episode.Agents.Select(a => (JsonNode?)a).ToArray()),
            ["steps"] = new JsonArray(episode.Steps.Select(s => (JsonNode?)s.ToString()).ToArray()),
            ["lessons"] = new JsonArray(episode.Lessons.Select(l => (JsonNode?)l).ToArray()),
            ["result"] = episode.Result,
            ["startedAt"] = episode.StartedAt,
            ["durationMs"] = Math.Round(episode.Duration.TotalMilliseconds),
            ["inputTokens"] = episode.Usage.InputTokens,
            ["outputTokens"] = episode.Usage.OutputTokens,
            ["cost"] = episode.Cost,
            ["recordedAt"] = episode.RecordedAt,
        };
        if (score is { } s)
        {
            json["score"] = Math.Round(s, 4);
        }

        return json;
    }

    /// <summary>An audit entry as JSON.</summary>
    /// <returns>A new object; field names in camelCase, times as ISO 8601.</returns>
    public static JsonObject ToJson(BlackboardAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new JsonObject
        {
            ["sequence"] = entry.Sequence,
            ["board"] = entry.Board,
            ["namespace"] = entry.Namespace,
            ["key"] = entry.Key,
            ["version"] = entry.Version,
            ["actor"] = entry.Actor,
            ["at"] = entry.At,
            ["old"] = entry.OldJson is null ? null : JsonNode.Parse(entry.OldJson),
            ["new"] = JsonNode.Parse(entry.NewJson),
        };
    }

    /// <summary>A time for tables: <c>2026-11-01 09:00</c> (UTC).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A number for tables, with two decimals and a point whatever the culture.</summary>
    public static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
