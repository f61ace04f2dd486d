using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Testing;

/// <summary>
/// Recorded model conversations, kept in a JSON file: for each model call, the agent, the messages sent and the
/// reply. A call is answered from the cassette when the agent and the conversation match a recorded one.
/// </summary>
/// <remarks>
/// Matching ignores system messages (instructions, recalled memories, notes) and tool-call ids, so a cassette
/// survives edited instructions and a growing memory, but it never answers a conversation it did not record: a
/// different task, a different tool result or a different agent is a miss.
/// </remarks>
public sealed class Cassette
{
    private static readonly JsonSerializerOptions FileOptions = new(AIJsonUtilities.DefaultOptions) { WriteIndented = true };
    private readonly Lock _gate = new();
    private readonly List<CassetteInteraction> _interactions = [];

    /// <summary>The recorded interactions, in order.</summary>
    public IReadOnlyList<CassetteInteraction> Interactions
    {
        get
        {
            lock (_gate)
            {
                return _interactions.ToList();
            }
        }
    }

    /// <summary>Loads a cassette file.</summary>
    /// <returns>A new cassette holding the file's interactions in order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is not a valid cassette.</exception>
    public static Cassette Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var cassette = new Cassette();
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new FormatException($"{path}: a cassette is a JSON object with an \"interactions\" array.");
            if (root["interactions"] is not JsonArray items)
            {
                throw new FormatException($"{path}: a cassette is a JSON object with an \"interactions\" array.");
            }

            foreach (var item in items)
            {
                var interaction = item.Deserialize<CassetteInteraction>(FileOptions)
                    ?? throw new FormatException($"{path}: an interaction is empty.");
                cassette._interactions.Add(interaction);
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path}: not a valid cassette ({ex.Message}).", ex);
        }

        return cassette;
    }

    /// <summary>Adds an interaction after those recorded; safe from several threads, and kept in memory until
    /// <see cref="Save"/>.</summary>
    public void Add(CassetteInteraction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        lock (_gate)
        {
            _interactions.Add(interaction);
        }
    }

    /// <summary>Writes the cassette to a file (atomically: a crash leaves the old file or the new one).</summary>
    /// <param name="path">Where to write; its folder is created when missing and an existing file is replaced.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json;
        lock (_gate)
        {
            json = JsonSerializer.Serialize(new { version = 1, interactions = _interactions }, FileOptions);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, json + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The key under which a call is matched: the agent and the conversation without system messages and
    /// tool-call ids.</summary>
    /// <param name="agent">The agent ("" outside an agent).</param>
    /// <param name="messages">The conversation as sent to the model.</param>
    /// <returns>A SHA-256 in lowercase hex: equal for conversations that differ only in system messages and tool-call ids.</returns>
    public static string KeyFor(string agent, IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder().Append(agent).Append('\n');
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            text.Append(message.Role.Value).Append(':');
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t when !string.IsNullOrWhiteSpace(t.Text):
                        text.Append("t=").Append(t.Text.Trim()).Append('|');
                        break;
                    case FunctionCallContent c:
                        text.Append("c=").Append(c.Name).Append(Canonical(ToolResults.FormatArguments(c))).Append('|');
                        break;
                    case FunctionResultContent r:
                        text.Append("r=").Append(Canonical(ToolResults.Format(r.Result))).Append('|');
                        break;
                }
            }

            text.Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Canonical(string json)
    {
        try
        {
            return Sort(JsonNode.Parse(json))?.ToJsonString() ?? "null";
        }
        catch (JsonException)
        {
            return json.Trim();
        }
    }

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sort).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
