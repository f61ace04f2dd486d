using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cadre.Memory.Benchmarks;

/// <summary>
/// A long-conversation QA dataset in the published LoCoMo JSON layout: an array of samples, each with
/// <c>sample_id</c>, a <c>conversation</c> object (<c>speaker_a</c>, <c>speaker_b</c>, <c>session_N</c> arrays of turns
/// with <c>speaker</c>, <c>dia_id</c>, <c>text</c> and optional <c>blip_caption</c>, and <c>session_N_date_time</c>)
/// and <c>qa</c> items (<c>question</c>, <c>answer</c> or <c>adversarial_answer</c>, <c>evidence</c> dia_ids,
/// <c>category</c>). Evidence ids are normalised (<c>D8:6; D9:17</c> is two ids, <c>D30:05</c> is <c>D30:5</c>);
/// questions without usable evidence are skipped and counted.
/// </summary>
public sealed partial class LocomoDataset
{
    private LocomoDataset(string source, IReadOnlyList<LocomoSample> samples, int skipped)
    {
        Source = source;
        Samples = samples;
        SkippedQuestions = skipped;
    }

    /// <summary>Where the data came from.</summary>
    public string Source { get; }

    /// <summary>The samples.</summary>
    public IReadOnlyList<LocomoSample> Samples { get; }

    /// <summary>Questions skipped because they have no usable evidence.</summary>
    public int SkippedQuestions { get; }

    /// <summary>Loads a dataset file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FormatException">The file does not have the LoCoMo layout; the message says where.</exception>
    public static LocomoDataset Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a dataset.</summary>
    /// <param name="json">The JSON text: an array of samples (or one sample object).</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FormatException">The text does not have the LoCoMo layout.</exception>
    public static LocomoDataset Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not JSON ({ex.Message}).", ex);
        }

        var items = root switch
        {
            JsonArray array => array.ToList(),
            JsonObject one when one.ContainsKey("conversation") => [one],
            _ => throw new FormatException($"{source}: a LoCoMo dataset is an array of samples with 'conversation' and 'qa'."),
        };

        var samples = new List<LocomoSample>();
        var skipped = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var where = $"{source}: sample {i + 1}";
            if (items[i] is not JsonObject sample || sample["conversation"] is not JsonObject conversation)
            {
                throw new FormatException($"{where} has no 'conversation' object.");
            }

            var id = Text(sample["sample_id"]) is { Length: > 0 } sid ? sid : $"sample-{i + 1}";
            var turns = ReadTurns(conversation, where);
            var questions = new List<LocomoQuestion>();
            foreach (var item in sample["qa"] as JsonArray ?? [])
            {
                if (item is not JsonObject qa || Text(qa["question"]) is not { Length: > 0 } question)
                {
                    skipped++;
                    continue;
                }

                var evidence = EvidenceOf(qa["evidence"]);
                if (evidence.Count == 0)
                {
                    skipped++;
                    continue;
                }

                var category = Text(qa["category"]) is { } c && int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
                var answer = Text(qa["answer"]) ?? Text(qa["adversarial_answer"]) ?? "";
                questions.Add(new LocomoQuestion(question, answer, evidence, category));
            }

            samples.Add(new LocomoSample(id, Text(conversation["speaker_a"]) ?? "A", Text(conversation["speaker_b"]) ?? "B", turns, questions));
        }

        return new LocomoDataset(source, samples, skipped);
    }

    /// <summary>Normalises evidence as written in the dataset: every <c>D&lt;session&gt;:&lt;turn&gt;</c> in the text, numbers
    /// without leading zeros (<c>"D8:6; D9:17"</c> → <c>D8:6</c>, <c>D9:17</c>; <c>"D30:05"</c> → <c>D30:5</c>).</summary>
    /// <param name="text">One evidence entry.</param>
    /// <returns>The ids.</returns>
    public static IReadOnlyList<string> NormalizeEvidence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DiaId().Matches(text)
            .Select(m => $"D{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)}:{int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static List<string> EvidenceOf(JsonNode? node) => node switch
    {
        JsonArray items => items.Select(Text).OfType<string>().SelectMany(NormalizeEvidence).Distinct(StringComparer.Ordinal).ToList(),
        JsonValue value when Text(value) is { } text => NormalizeEvidence(text).ToList(),
        _ => [],
    };

    private static List<LocomoTurn> ReadTurns(JsonObject conversation, string where)
    {
        var sessions = conversation
            .Select(p => (Key: p.Key, Match: Session().Match(p.Key), Value: p.Value))
            .Where(p => p.Match.Success && p.Value is JsonArray)
            .Select(p => (Number: int.Parse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture), Turns: (JsonArray)p.Value!))
            .OrderBy(p => p.Number)
            .ToList();
        if (sessions.Count == 0)
        {
            throw new FormatException($"{where}: its conversation has no 'session_N' arrays of turns.");
        }

        var turns = new List<LocomoTurn>();
        foreach (var (number, items) in sessions)
        {
            var date = Text(conversation[$"session_{number}_date_time"]) ?? "";
            for (var t = 0; t < items.Count; t++)
            {
                if (items[t] is not JsonObject turn || Text(turn["text"]) is not { } text)
                {
                    continue;
                }

                var id = Text(turn["dia_id"]) is { } written && NormalizeEvidence(written) is [var normal] ? normal : $"D{number}:{t + 1}";
                var caption = Text(turn["blip_caption"]);
                turns.Add(new LocomoTurn(id, Text(turn["speaker"]) ?? "", caption is { Length: > 0 } ? $"{text} [shares a photo: {caption}]" : text, number, date));
            }
        }

        return turns;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    [GeneratedRegex(@"D\s*(\d+)\s*:\s*(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiaId();

    [GeneratedRegex(@"^session_(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Session();
}
