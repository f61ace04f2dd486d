using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

/// <summary>
/// Reads a system spec from YAML (or JSON, which is YAML too). Every problem — a YAML syntax error, an unknown key, a
/// wrong type, a missing field, an agent that does not exist — is a <see cref="SpecException"/> with the file, line
/// and column and what to write instead.
/// </summary>
public static class SpecLoader
{
    /// <summary>The file names looked for when a folder is given, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["cadre.yaml", "cadre.yml", "cadre.json"];

    private static readonly string[] TopKeys = ["name", "model", "tools", "agents", "workflow", "memory", "chains", "workspace"];
    private static readonly string[] ToolKeys = ["assembly", "project", "mcp", "approvals"];
    private static readonly string[] McpKeys = ["command", "args", "env", "inherit_env", "cwd", "requires_approval", "timeout"];
    private static readonly string[] ChainKeys = ["description", "category", "input", "steps"];
    private static readonly string[] StepKeys = ["name", "tool", "args"];
    private static readonly string[] AgentKeys = ["instructions", "description", "model", "tools", "handoffs", "max_tool_rounds", "context_tokens", "capabilities", "memory"];
    private static readonly string[] WorkflowKeys = ["type", "start", "steps", "max_steps", "max_tokens", "max_cost", "max_time", "price", "supervisor", "workers", "speaker", "max_turns", "agent_timeout"];
    private static readonly string[] PriceKeys = ["input", "output"];
    private static readonly string[] Speakers = ["round-robin", "model"];
    private static readonly string[] MemoryKeys = ["context_tokens", "reducer", "encoding", "scope", "recall_share", "write", "knowledge", "episodes", "lessons", "embeddings"];
    private static readonly string[] WorkflowTypes = ["handoff", "sequential", "supervisor", "group-chat"];
    private static readonly string[] Reducers = ["sliding-window", "summarize", "relevance"];
    private static readonly string[] AgentMemories = ["long-term", "lessons"];
    private static readonly string[] Encodings = ["o200k_base", "cl100k_base"];

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
    /// <returns>The spec.</returns>
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
    /// <param name="text">The YAML.</param>
    /// <param name="file">The file it came from (its folder anchors relative paths).</param>
    /// <returns>The spec.</returns>
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

    private sealed class Reader(string file)
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

        public Workflows.TokenPrice? Price(YamlNode? node)
        {
            if (node is null)
            {
                return null;
            }

            var map = Mapping(node, "'price'");
            CheckKeys(map, PriceKeys, "'price'");
            decimal Part(string key) => OptionalDecimal(map, key)
                ?? throw new SpecException(At(map), $"price needs '{key}:' (the price of a million {key} tokens).");
            return new Workflows.TokenPrice(Part("input"), Part("output"));
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

        public IReadOnlyList<AgentSpec> Agents(YamlNode node)
        {
            var map = Mapping(node, "'agents'");
            if (map.Children.Count == 0)
            {
                throw new SpecException(At(map), "'agents' declares no agent; add at least one: agents: { helper: { instructions: ... } }.");
            }

            var agents = new List<AgentSpec>();
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var name = Scalar(keyNode, "an agent name");
                if (name.Value.Length == 0 || !name.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    throw new SpecException(name.Location, $"agent name '{name.Value}' may only contain letters, digits, '-' and '_'.");
                }

                var where = $"agent '{name.Value}'";
                var agent = Mapping(valueNode, where);
                CheckKeys(agent, AgentKeys, where);
                var instructions = OptionalString(agent, "instructions");
                if (string.IsNullOrWhiteSpace(instructions))
                {
                    throw new SpecException(At(agent), $"{where} needs 'instructions:' saying what it does.");
                }

                agents.Add(new AgentSpec
                {
                    Name = name.Value,
                    Instructions = instructions.Trim(),
                    Description = OptionalString(agent, "description")?.Trim(),
                    Model = OptionalValue(agent, "model"),
                    Tools = List(Optional(agent, "tools"), $"{where} tools"),
                    Handoffs = agent.Children.ContainsKey(new YamlScalarNode("handoffs"))
                        ? List(Optional(agent, "handoffs"), $"{where} handoffs")
                        : null,
                    MaxToolRounds = OptionalInt(agent, "max_tool_rounds", 1),
                    Capabilities = List(Optional(agent, "capabilities"), $"{where} capabilities"),
                    ContextTokens = OptionalInt(agent, "context_tokens", 256),
                    Memory = List(Optional(agent, "memory"), $"{where} memory")
                        .Select(m => new SpecValue(OneOf(m, AgentMemories, $"{where} memory"), m.Location)).ToList(),
                    Location = name.Location,
                });
            }

            return agents;
        }

        public WorkflowSpec Workflow(YamlNode node)
        {
            var map = Mapping(node, "'workflow'");
            CheckKeys(map, WorkflowKeys, "the workflow");
            var type = OptionalValue(map, "type")
                ?? throw new SpecException(At(map), $"the workflow needs 'type:' ({string.Join(" or ", WorkflowTypes)}).");
            return new WorkflowSpec
            {
                Type = OneOf(type, WorkflowTypes, "workflow.type"),
                Start = OptionalValue(map, "start"),
                Steps = List(Optional(map, "steps"), "workflow.steps"),
                MaxSteps = OptionalInt(map, "max_steps", 1),
                MaxTokens = OptionalInt(map, "max_tokens", 1),
                MaxCost = OptionalDecimal(map, "max_cost"),
                MaxTime = OptionalDuration(map, "max_time"),
                Price = Price(Optional(map, "price")),
                Supervisor = OptionalValue(map, "supervisor"),
                Workers = List(Optional(map, "workers"), "workflow.workers"),
                Speaker = OptionalValue(map, "speaker") is { } speaker ? OneOf(speaker, Speakers, "workflow.speaker") : null,
                MaxTurns = OptionalInt(map, "max_turns", 1),
                AgentTimeout = OptionalDuration(map, "agent_timeout"),
                Location = At(map),
            };
        }

        public ToolsSpec Tools(YamlNode? node)
        {
            if (node is null)
            {
                return new ToolsSpec();
            }

            var map = Mapping(node, "'tools'");
            CheckKeys(map, ToolKeys, "'tools'");
            return new ToolsSpec
            {
                Assembly = OptionalValue(map, "assembly"),
                Project = OptionalValue(map, "project"),
                Mcp = McpServers(Optional(map, "mcp")),
                Approvals = OptionalValue(map, "approvals"),
            };
        }

        public IReadOnlyList<McpServerSpec> McpServers(YamlNode? node)
        {
            IEnumerable<YamlNode> items = node switch
            {
                null => [],
                YamlSequenceNode seq => seq.Children,
                YamlScalarNode or YamlMappingNode => [node],
                _ => throw new SpecException(At(node), "tools.mcp must be a list of servers."),
            };
            var servers = new List<McpServerSpec>();
            foreach (var item in items)
            {
                const string Example = "\"npx -y some-server\" or { command: npx, args: [-y, some-server], env: { API_KEY: ${SOME_KEY} } }";
                if (item is not YamlMappingNode map)
                {
                    var line = Scalar(item, "an item of tools.mcp");
                    servers.Add(new McpServerSpec
                    {
                        Command = line.Value.Trim().Length > 0 ? line : throw new SpecException(line.Location, $"an MCP server entry is empty; write {Example}."),
                        Location = line.Location,
                    });
                    continue;
                }

                CheckKeys(map, McpKeys, "an MCP server");
                var command = OptionalValue(map, "command") ?? throw new SpecException(At(map), $"an MCP server needs 'command:' (a command or an http(s) URL), like {Example}.");
                if (command.Value.Trim().Length == 0)
                {
                    throw new SpecException(command.Location, $"an MCP server's command is empty; write {Example}.");
                }

                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                if (Optional(map, "env") is { } env)
                {
                    foreach (var (key, value) in Mapping(env, "'env'").Children)
                    {
                        var name = Scalar(key, "a variable name");
                        if (name.Value.Length == 0 || name.Value.Contains('=', StringComparison.Ordinal) || name.Value.Any(char.IsControl))
                        {
                            throw new SpecException(name.Location, $"'{name.Value}' is not a variable name.");
                        }

                        environment[name.Value] = IsNull(value) ? "" : Scalar(value, $"the value of '{name.Value}'").Value;
                    }
                }

                servers.Add(new McpServerSpec
                {
                    Command = command,
                    Arguments = List(Optional(map, "args"), "'args'").Select(a => a.Value).ToList(),
                    Environment = environment,
                    InheritEnvironment = OptionalBool(map, "inherit_env") ?? false,
                    WorkingDirectory = OptionalString(map, "cwd"),
                    RequiresApproval = OptionalBool(map, "requires_approval"),
                    Timeout = OptionalDuration(map, "timeout"),
                    Location = At(map),
                });
            }

            return servers;
        }

        public bool? OptionalBool(YamlMappingNode map, string key) =>
            OptionalValue(map, key) switch
            {
                null => null,
                { Value: "true" or "yes" or "on" } => true,
                { Value: "false" or "no" or "off" } => false,
                var value => throw new SpecException(value.Location, $"'{key}' must be true or false, not '{value.Value}'."),
            };

        public IReadOnlyList<ChainSpec> Chains(YamlNode? node)
        {
            if (node is null)
            {
                return [];
            }

            var chains = new List<ChainSpec>();
            foreach (var (keyNode, valueNode) in Mapping(node, "'chains'").Children)
            {
                var name = Scalar(keyNode, "a chain name");
                var where = $"chain '{name.Value}'";
                var map = Mapping(valueNode, where);
                CheckKeys(map, ChainKeys, where);
                var chain = new Cadre.Tools.Chains.ToolChain(name.Value, OptionalString(map, "description")?.Trim() ?? $"Runs the {name.Value} chain.");
                if (OptionalString(map, "category") is { } category)
                {
                    chain = chain.InCategory(category);
                }

                if (Optional(map, "input") is { } inputs)
                {
                    foreach (var (inputKey, inputValue) in Mapping(inputs, $"{where} input").Children)
                    {
                        var input = Scalar(inputKey, "an input name");
                        var text = Scalar(inputValue, $"input '{input.Value}'").Value;
                        var colon = text.IndexOf(':', StringComparison.Ordinal);
                        var head = (colon < 0 ? text : text[..colon]).Trim();
                        var typed = head is "string" or "integer" or "number" or "boolean" or "object" or "array";
                        chain = chain.WithInput(input.Value, typed ? head : "string", typed ? (colon < 0 ? null : text[(colon + 1)..].Trim()) : text);
                    }
                }

                var stepsNode = Optional(map, "steps") as YamlSequenceNode
                    ?? throw new SpecException(At(map), $"{where} needs 'steps:', a list like - {{ tool: lookup_invoice, args: {{ invoiceId: $input.invoiceId }} }}.");
                var tools = new List<SpecValue>();
                var index = 0;
                foreach (var stepNode in stepsNode)
                {
                    index++;
                    var step = Mapping(stepNode, $"step {index} of {where}");
                    CheckKeys(step, StepKeys, $"step {index} of {where}");
                    var tool = OptionalValue(step, "tool") ?? throw new SpecException(At(step), $"step {index} of {where} needs 'tool:'.");
                    var arguments = new Dictionary<string, Cadre.Tools.Chains.ChainValue>(StringComparer.Ordinal);
                    if (Optional(step, "args") is { } args)
                    {
                        foreach (var (argKey, argValue) in Mapping(args, $"the args of step {index} of {where}").Children)
                        {
                            arguments[Scalar(argKey, "an argument name").Value] = ChainValueOf(argValue);
                        }
                    }

                    try
                    {
                        chain = chain.Then(OptionalString(step, "name") ?? $"step{index}", tool.Value, arguments);
                    }
                    catch (ArgumentException ex)
                    {
                        throw new SpecException(At(step), ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal), ex);
                    }

                    tools.Add(tool);
                }

                chains.Add(new ChainSpec { Chain = chain, StepTools = tools, Location = name.Location });
            }

            return chains;
        }

        private Cadre.Tools.Chains.ChainValue ChainValueOf(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    return Cadre.Tools.Chains.ChainValue.Object(map.Children.ToDictionary(c => Scalar(c.Key, "a field name").Value, c => ChainValueOf(c.Value), StringComparer.Ordinal));
                case YamlSequenceNode seq:
                    return Cadre.Tools.Chains.ChainValue.Array([.. seq.Children.Select(ChainValueOf)]);
                case YamlScalarNode { Value: var text } scalar:
                    try
                    {
                        if (text?.StartsWith('$') == true)
                        {
                            return Cadre.Tools.Chains.ChainValue.Parse(text);
                        }
                    }
                    catch (FormatException ex)
                    {
                        throw new SpecException(At(node), ex.Message, ex);
                    }

                    if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
                    {
                        return Cadre.Tools.Chains.ChainValue.Literal(text ?? "");
                    }

                    return text switch
                    {
                        null or "" or "~" or "null" => Cadre.Tools.Chains.ChainValue.Literal(null),
                        "true" => Cadre.Tools.Chains.ChainValue.Literal(true),
                        "false" => Cadre.Tools.Chains.ChainValue.Literal(false),
                        _ when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) => Cadre.Tools.Chains.ChainValue.Literal(whole),
                        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Cadre.Tools.Chains.ChainValue.Literal(number),
                        _ => Cadre.Tools.Chains.ChainValue.Literal(text),
                    };
                default:
                    throw new SpecException(At(node), "a chain argument must be a value, a mapping or a list.");
            }
        }

        public MemorySpec Memory(YamlNode? node)
        {
            if (node is null)
            {
                return new MemorySpec();
            }

            var map = Mapping(node, "'memory'");
            CheckKeys(map, MemoryKeys, "'memory'");
            var defaults = new MemorySpec();
            return new MemorySpec
            {
                ContextTokens = OptionalInt(map, "context_tokens", 256) ?? defaults.ContextTokens,
                Reducer = OptionalValue(map, "reducer") is { } reducer ? OneOf(reducer, Reducers, "memory.reducer") : defaults.Reducer,
                Encoding = OptionalValue(map, "encoding") is { } encoding ? OneOf(encoding, Encodings, "memory.encoding") : defaults.Encoding,
                Scope = OptionalValue(map, "scope") is { } scope ? MemoryScopeOf(scope) : defaults.Scope,
                RecallShare = OptionalShare(map, "recall_share") ?? defaults.RecallShare,
                Write = OptionalValue(map, "write") is { } write ? OneOf(write, ["model", "off"], "memory.write") == "model" : defaults.Write,
                Knowledge = OptionalValue(map, "knowledge") is { } knowledge ? OneOf(knowledge, ["model", "off"], "memory.knowledge") == "model" : defaults.Knowledge,
                Episodes = OptionalValue(map, "episodes") is { } episodes ? OneOf(episodes, ["on", "off"], "memory.episodes") == "on" : defaults.Episodes,
                Lessons = OptionalValue(map, "lessons") is { } lessons ? OneOf(lessons, ["model", "off"], "memory.lessons") == "model" : defaults.Lessons,
                Embeddings = OptionalValue(map, "embeddings") is { } embeddings ? EmbeddingsOf(embeddings) : defaults.Embeddings,
            };
        }

        private static string EmbeddingsOf(SpecValue value)
        {
            // The host makes the embedder (EmbeddingCatalog); the spec checks the name's form so a typo fails at load.
            var text = value.Value.Trim();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var provider = colon < 0 ? text : text[..colon];
            var known = provider switch
            {
                "hashing" => colon < 0,
                "local" or "openai" or "ollama" => colon > 0 && text.Length > colon + 1,
                _ => false,
            };
            return known
                ? text
                : throw new SpecException(value.Location, $"memory.embeddings must name an embedder like local:arctic-xs, local:minilm, hashing, openai:text-embedding-3-small or ollama:nomic-embed-text, not '{value.Value}'.");
        }

        private static string MemoryScopeOf(SpecValue value)
        {
            try
            {
                return Cadre.Memory.MemoryScope.Parse(value.Value).ToString();
            }
            catch (FormatException ex)
            {
                throw new SpecException(value.Location, $"memory.scope: {ex.Message}", ex);
            }
        }

        private double? OptionalShare(YamlMappingNode map, string key)
        {
            if (OptionalValue(map, key) is not { } value)
            {
                return null;
            }

            if (!double.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || share is <= 0 or > 0.9)
            {
                throw new SpecException(value.Location, $"memory.{key} must be a fraction above 0 and at most 0.9 (like 0.15), not '{value.Value}'.");
            }

            return share;
        }

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
