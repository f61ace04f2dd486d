using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

public static partial class SpecLoader
{
    // Reads the spec's 'workflow:' section: its type and participants, and its limits (steps, tokens, cost with the token price, time).
    private sealed partial class Reader
    {
        private static readonly string[] WorkflowKeys = ["type", "start", "steps", "max_steps", "max_tokens", "max_cost", "max_time", "price", "supervisor", "workers", "speaker", "max_turns", "agent_timeout"];
        private static readonly string[] WorkflowTypes = ["handoff", "sequential", "supervisor", "group-chat"];
        private static readonly string[] Speakers = ["round-robin", "model"];
        private static readonly string[] PriceKeys = ["input", "output"];

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
    }
}
