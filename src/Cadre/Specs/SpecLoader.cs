using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

/// <summary>
/// Reads a system spec from YAML (or JSON, which is YAML too). Every problem — a YAML syntax error, an unknown key, a
/// wrong type, a missing field, an agent that does not exist — is a <see cref="SpecException"/> with the file, line
/// and column and what to write instead.
/// </summary>
public static partial class SpecLoader
{
    /// <summary>The file names looked for when a folder is given, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["cadre.yaml", "cadre.yml", "cadre.json"];

    private static readonly string[] TopKeys = ["name", "model", "tools", "agents", "workflow", "memory", "chains", "workspace"];

    /// <summary>Finds the spec file for a path: the file itself, or the first of <see cref="FileNames"/> in a folder.</summary>
    /// <param name="path">A spec file or a folder holding one.</param>
    /// <returns>The spec file's full path.</returns>
    /// <exception cref="SpecException">Nothing is there.</exception>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return full;
        }

        if (new FileInfo(full).LinkTarget is not null && !Directory.Exists(full))
        {
            throw new SpecException($"{full}: a symbolic link that leads to no spec file or folder (a loop or a missing target).");
        }

        if (Directory.Exists(full))
        {
            foreach (var name in FileNames)
            {
                var candidate = Path.Combine(full, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new SpecException($"{full}: no spec in this folder (looked for {string.Join(", ", FileNames)}).");
        }

        throw new SpecException($"{full}: no such spec file or folder.");
    }

    /// <summary>Loads a spec from a file or a folder.</summary>
    /// <param name="path">A spec file or a folder holding one.</param>
    /// <exception cref="SpecException">The spec is missing, malformed or inconsistent.</exception>
    public static SystemSpec Load(string path)
    {
        var file = Resolve(path);
        string text;
        try
        {
            var size = new FileInfo(file).Length;
            text = size > YamlLimits.MaxChars * 4L
                ? throw new SpecException(new SpecLocation(file, 1, 1), $"the file is {size:N0} bytes; a spec is at most {YamlLimits.MaxChars:N0} characters.")
                : File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A symbolic link loop, a folder named like a file, no permission: said with the path, not a stack trace.
            throw new SpecException($"{file}: the spec cannot be read: {ex.Message}", ex);
        }

        return Parse(text, file);
    }

    /// <summary>Parses a spec's text.</summary>
    /// <param name="text">The spec's YAML, within <see cref="YamlLimits"/>.</param>
    /// <param name="file">The file it came from (its folder anchors relative paths).</param>
    /// <exception cref="SpecException">The spec is malformed or inconsistent.</exception>
    public static SystemSpec Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        file = Path.GetFullPath(file);
        var stream = YamlLimits.Load(text, file);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? new SpecLocation(file, 1, 1) : At(file, stream.Documents[0].RootNode);
            throw new SpecException(at, "a spec is a mapping with at least 'agents:' and 'workflow:'.");
        }

        var r = new Reader(file);
        r.CheckKeys(root, TopKeys, "the spec");
        var agentsNode = r.Required(root, "agents", "the spec", "agents: { <name>: { instructions: ... } }");
        var agents = r.Agents(agentsNode);
        var workflowNode = r.Required(root, "workflow", "the spec", "workflow: { type: handoff, start: <agent> }");
        var workflow = r.Workflow(workflowNode);
        var spec = new SystemSpec
        {
            Path = file,
            Name = r.OptionalString(root, "name") ?? new DirectoryInfo(Path.GetDirectoryName(file)!).Name,
            Model = r.OptionalValue(root, "model"),
            Workspace = r.OptionalValue(root, "workspace"),
            Tools = r.Tools(Reader.Optional(root, "tools")),
            Agents = agents,
            Workflow = workflow,
            Memory = r.Memory(Reader.Optional(root, "memory")),
            Chains = r.Chains(Reader.Optional(root, "chains")),
        };
        Check(spec);
        return spec;
    }

    private static void Check(SystemSpec spec)
    {
        var names = spec.Agents.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        void Known(SpecValue value, string what)
        {
            if (!names.Contains(value.Value))
            {
                throw new SpecException(value.Location, $"{what} names agent '{value.Value}', which is not declared. Agents: {string.Join(", ", names)}.");
            }
        }

        foreach (var agent in spec.Agents)
        {
            foreach (var target in agent.Handoffs ?? [])
            {
                Known(target, $"agent '{agent.Name}' hands off to");
                if (target.Value == agent.Name)
                {
                    throw new SpecException(target.Location, $"agent '{agent.Name}' cannot hand off to itself.");
                }
            }
        }

        var workflow = spec.Workflow;
        foreach (var worker in workflow.Workers)
        {
            Known(worker, "workflow.workers");
        }

        if (workflow.MaxCost is not null && workflow.Price is null)
        {
            throw new SpecException(workflow.Location, "workflow.max_cost needs a token price to estimate the cost: price: { input: 0.15, output: 0.60 } (per million tokens).");
        }

        if (workflow.Type == "supervisor")
        {
            if (workflow.Supervisor is null)
            {
                throw new SpecException(workflow.Location, $"a supervisor workflow needs 'supervisor: <agent>'. Agents: {string.Join(", ", names)}.");
            }

            Known(workflow.Supervisor, "workflow.supervisor");
            if (spec.Agents.Count < 2)
            {
                throw new SpecException(workflow.Location, "a supervisor workflow needs at least one worker besides the supervisor.");
            }
        }
        else if (workflow.Type == "group-chat")
        {
            foreach (var step in workflow.Steps)
            {
                Known(step, "workflow.steps");
            }

            if ((workflow.Steps.Count == 0 ? spec.Agents.Count : workflow.Steps.Count) < 2)
            {
                throw new SpecException(workflow.Location, "a group chat needs at least two agents.");
            }
        }
        else if (workflow.Type == "handoff")
        {
            if (workflow.Start is null)
            {
                throw new SpecException(workflow.Location, $"a handoff workflow needs 'start: <agent>'. Agents: {string.Join(", ", names)}.");
            }

            Known(workflow.Start, "workflow.start");
        }
        else
        {
            foreach (var step in workflow.Steps)
            {
                Known(step, "workflow.steps");
            }
        }
    }

    private static SpecLocation At(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    // Reads values with their file positions and checks keys; each section's reader is beside it in
    // SpecLoader.<Section>.cs (agents, workflow and its limits, tools and MCP servers, chains, memory).
    private sealed partial class Reader(string file)
    {
        public SpecLocation At(YamlNode node) => SpecLoader.At(file, node);

        public void CheckKeys(YamlMappingNode map, string[] known, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    var near = known.FirstOrDefault(k => Distance(k, name) <= 2);
                    var hint = near is null ? "" : $" Did you mean '{near}'?";
                    throw new SpecException(At(key), $"unknown key '{name}' in {where}.{hint} Known keys: {string.Join(", ", known)}.");
                }
            }
        }

        public static YamlNode? Optional(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && !IsNull(node) ? node : null;

        public YamlNode Required(YamlMappingNode map, string key, string where, string example) =>
            Optional(map, key) ?? throw new SpecException(At(map), $"{where} needs '{key}:' (for example {example}).");

        public YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw new SpecException(At(node), $"{what} must be a mapping (key: value lines).");

        public SpecValue Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } value }
                ? new SpecValue(value, At(node))
                : throw new SpecException(At(node), $"{what} must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}.");

        public SpecValue? OptionalValue(YamlMappingNode map, string key) =>
            Optional(map, key) is { } node ? Scalar(node, $"'{key}'") : null;

        public string? OptionalString(YamlMappingNode map, string key) => OptionalValue(map, key)?.Value;

        public int? OptionalInt(YamlMappingNode map, string key, int min)
        {
            if (OptionalValue(map, key) is not { } value)
            {
                return null;
            }

            if (!int.TryParse(value.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < min)
            {
                throw new SpecException(value.Location, $"'{key}' must be a whole number of at least {min}, not '{value.Value}'.");
            }

            return number;
        }

        public decimal? OptionalDecimal(YamlMappingNode map, string key)
        {
            if (OptionalValue(map, key) is not { } value)
            {
                return null;
            }

            return decimal.TryParse(value.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new SpecException(value.Location, $"'{key}' must be a positive number, like 0.25, not '{value.Value}'.");
        }

        public TimeSpan? OptionalDuration(YamlMappingNode map, string key)
        {
            if (OptionalValue(map, key) is not { } value)
            {
                return null;
            }

            return SpecDurations.TryParse(value.Value, out var duration)
                ? duration
                : throw new SpecException(value.Location, $"'{key}' must be a duration like 90s, 5m or 1h, not '{value.Value}'.");
        }

        public IReadOnlyList<SpecValue> List(YamlNode? node, string what) => node switch
        {
            null => [],
            YamlSequenceNode seq => seq.Children.Select(c => Scalar(c, $"an item of {what}")).ToList(),
            YamlScalarNode => [Scalar(node, what)],
            _ => throw new SpecException(At(node), $"{what} must be a list, like [a, b]."),
        };

        public static string OneOf(SpecValue value, string[] allowed, string what) =>
            allowed.Contains(value.Value, StringComparer.Ordinal)
                ? value.Value
                : throw new SpecException(value.Location, $"{what} must be one of {string.Join(", ", allowed)}, not '{value.Value}'.");

        public bool? OptionalBool(YamlMappingNode map, string key) =>
            OptionalValue(map, key) switch
            {
                null => null,
                { Value: "true" or "yes" or "on" } => true,
                { Value: "false" or "no" or "off" } => false,
                var value => throw new SpecException(value.Location, $"'{key}' must be true or false, not '{value.Value}'."),
            };

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) } s &&
            (s.Value is null or "" or "~" or "null");

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (var j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                for (var j = 1; j <= b.Length; j++)
                {
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }
            }

            return d[a.Length, b.Length];
        }
    }
}
