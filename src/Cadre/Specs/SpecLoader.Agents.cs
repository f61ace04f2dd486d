using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

public static partial class SpecLoader
{
    // Reads the spec's 'agents:' section: each agent's instructions, model, tools, handoffs and memory.
    private sealed partial class Reader
    {
        private static readonly string[] AgentKeys = ["instructions", "description", "model", "tools", "handoffs", "max_tool_rounds", "context_tokens", "capabilities", "memory"];
        private static readonly string[] AgentMemories = ["long-term", "lessons"];

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
    }
}
