using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

public static partial class SpecLoader
{
    // Reads the spec's 'chains:' section: tool chains, their inputs and steps.
    private sealed partial class Reader
    {
        private static readonly string[] ChainKeys = ["description", "category", "input", "steps"];
        private static readonly string[] StepKeys = ["name", "tool", "args"];

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
    }
}
