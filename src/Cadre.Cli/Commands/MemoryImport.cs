using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Memory;
using Cadre.Memory.Benchmarks;

namespace Cadre.Cli.Commands;

/// <summary>
/// Reads the files <c>cadre memory import</c> takes: JSON lines, one memory per line
/// (<c>{"text": "...", "metadata": {"k": "v"}, "importance": 0.5}</c>), or conversations in the LoCoMo layout, whose
/// turns become memories marked as conversation turns (<see cref="ConversationTurns"/>). A bad line is reported with its
/// number and nothing is stored.
/// </summary>
internal static class MemoryImport
{
    /// <summary>Memories embedded and stored per transaction: small enough for steady progress, large enough to batch
    /// the embedder.</summary>
    public const int BatchSize = 64;

    public static IReadOnlyList<MemoryRecord> Read(string path, MemoryScope scope)
    {
        var text = File.ReadAllText(path);
        var start = text.TrimStart();
        if (start.StartsWith('[') || (start.StartsWith('{') && IsOneObjectWithConversation(text)))
        {
            return LocomoDataset.Parse(text, path).Samples.SelectMany(s => s.ToMemories(scope)).ToList();
        }

        var records = new List<MemoryRecord>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            records.Add(ReadLine(line, scope, $"{path}:{number}"));
        }

        return records;
    }

    private static bool IsOneObjectWithConversation(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject one && one.ContainsKey("conversation");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static MemoryRecord ReadLine(string line, MemoryScope scope, string where)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where}: not JSON ({ex.Message}).", ex);
        }

        if (node is not JsonObject item || item["text"] is not JsonValue textValue || !textValue.TryGetValue<string>(out var memoryText) || string.IsNullOrWhiteSpace(memoryText))
        {
            throw new FormatException($"{where}: each line is an object with a non-empty \"text\".");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item["metadata"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                metadata[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            }
        }
        else if (item["metadata"] is not null)
        {
            throw new FormatException($"{where}: \"metadata\" is an object of labels.");
        }

        var importance = 0.5;
        if (item["importance"] is JsonValue weight)
        {
            if (!weight.TryGetValue(out importance) || importance is < 0 or > 1)
            {
                throw new FormatException($"{where}: \"importance\" is a number from 0 to 1, not {weight.ToJsonString()}.");
            }
        }

        return new MemoryRecord
        {
            Id = MemoryRecord.NewId(),
            Scope = scope,
            Text = memoryText.Trim(),
            Metadata = metadata,
            Importance = importance,
            Source = new MemorySource("import"),
        };
    }

    internal static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);
}
