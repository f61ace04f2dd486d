using Cadre.Tools;
using Microsoft.Extensions.AI;
using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

/// <summary>
/// Reads an <see cref="ApprovalPolicy"/> from its YAML file (a spec's <c>tools: { approvals: approvals.yaml }</c>) and
/// checks it against a system's tools. Reading the file is a spec's business, like the rest of a spec's YAML; deciding
/// calls is the tools' (<see cref="ApprovalPolicy"/>). Errors are <see cref="SpecException"/>s that say where (file:line)
/// and how to fix it.
/// </summary>
public static class ApprovalPolicyFile
{
    private static readonly string[] TopKeys = ["default", "rules"];
    private static readonly string[] RuleKeys = ["tool", "category", "agent", "when", "decision", "reason"];
    private static readonly string[] Decisions = ["approve", "deny", "deny-and-escalate"];

    /// <summary>Reads an approval policy from a YAML file (a path relative to the current folder is made full).</summary>
    /// <exception cref="SpecException">The file is missing or malformed; the message says where and how to fix it.</exception>
    public static ApprovalPolicy Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new SpecException($"{full}: the approval policy file does not exist.");
        }

        try
        {
            return Parse(File.ReadAllText(full), full);
        }
        catch (IOException ex)
        {
            throw new SpecException($"{full}: the approval policy cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads an approval policy from YAML text already in memory; <see cref="Load"/> reads it from a
    /// file.</summary>
    /// <param name="yaml">The policy (<c>default:</c> and <c>rules:</c>), within <see cref="YamlLimits"/>.</param>
    /// <param name="file">The file named in messages and in each rule's source; it is not read.</param>
    /// <exception cref="SpecException">The text is malformed.</exception>
    public static ApprovalPolicy Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        SpecLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);
        var stream = YamlLimits.Load(yaml, file);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SpecException(new SpecLocation(file, 1, 1), "an approval policy is a mapping: default: deny, rules: [ { tool: send_email, decision: approve } ].");
        }

        string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } value } ? value : throw new SpecException(At(node), $"{what} must be a single value.");
        ApprovalDecision Decision(YamlNode node)
        {
            var text = Scalar(node, "a decision");
            return text switch
            {
                "approve" => ApprovalDecision.Approve,
                "deny" => ApprovalDecision.Deny,
                "deny-and-escalate" => ApprovalDecision.DenyAndEscalate,
                _ => throw new SpecException(At(node), $"a decision must be one of {string.Join(", ", Decisions)}, not '{text}'."),
            };
        }

        void CheckKeys(YamlMappingNode map, string[] known, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    throw new SpecException(At(key), $"unknown key '{name}' in {where}. Known keys: {string.Join(", ", known)}.");
                }
            }
        }

        CheckKeys(root, TopKeys, "the approval policy");
        var @default = root.Children.TryGetValue(new YamlScalarNode("default"), out var d) ? Decision(d) : ApprovalDecision.Deny;
        var rules = new List<ApprovalRule>();
        if (root.Children.TryGetValue(new YamlScalarNode("rules"), out var list))
        {
            if (list is not YamlSequenceNode sequence)
            {
                throw new SpecException(At(list), "'rules' must be a list of rules (- tool: ..., decision: ...).");
            }

            foreach (var item in sequence)
            {
                if (item is not YamlMappingNode rule)
                {
                    throw new SpecException(At(item), "a rule is a mapping like { tool: send_email, decision: approve }.");
                }

                CheckKeys(rule, RuleKeys, "a rule");
                string? Optional(string key) => rule.Children.TryGetValue(new YamlScalarNode(key), out var node) ? Scalar(node, $"'{key}'") : null;
                var when = new Dictionary<string, string>(StringComparer.Ordinal);
                if (rule.Children.TryGetValue(new YamlScalarNode("when"), out var conditions))
                {
                    if (conditions is not YamlMappingNode map)
                    {
                        throw new SpecException(At(conditions), "'when' maps argument names to patterns: when: { to: \"*@example.com\" }.");
                    }

                    foreach (var (key, value) in map.Children)
                    {
                        var path = Scalar(key, "an argument name");
                        if (ArgumentValues.Problem(path) is { } problem)
                        {
                            throw new SpecException(At(key), $"{problem} A condition names an argument (to) or a JSON path into one ($.message.to, recipients[*].email).");
                        }

                        when[path] = Scalar(value, "an argument pattern");
                    }
                }

                rules.Add(new ApprovalRule
                {
                    Tool = Optional("tool"),
                    Category = Optional("category"),
                    Agent = Optional("agent"),
                    When = when,
                    Decision = rule.Children.TryGetValue(new YamlScalarNode("decision"), out var decision)
                        ? Decision(decision)
                        : throw new SpecException(At(rule), $"a rule needs 'decision:' ({string.Join(", ", Decisions)})."),
                    Reason = Optional("reason"),
                    Source = At(rule).ToString(),
                });
            }
        }

        return new ApprovalPolicy(rules, @default, file);
    }

    /// <summary>Checks that every rule's tool and category name at least one of the system's tools, so a rule with a
    /// misspelt or missing tool is reported where it is written rather than silently never matching.</summary>
    /// <param name="policy">The policy, as <see cref="Load"/> read it.</param>
    /// <param name="tools">Every tool the system has (its tools, MCP servers' tools and chains), before grants
    /// narrow them per agent.</param>
    /// <exception cref="SpecException">A rule names no known tool; the message gives its file:line.</exception>
    public static void CheckTools(ApprovalPolicy policy, IEnumerable<AIFunction> tools)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tools);
        var known = tools.Select(t => (t.Name, ToolDescriptor.Of(t).Category)).ToList();
        foreach (var rule in policy.Rules)
        {
            if (rule.Tool is null && rule.Category is null)
            {
                continue;
            }

            if (!known.Any(t => policy.Names(rule, t.Name, t.Category)))
            {
                var what = rule.Tool is not null && rule.Category is not null
                    ? $"tool '{rule.Tool}' in category '{rule.Category}'"
                    : rule.Tool is not null ? $"tool '{rule.Tool}'" : $"category '{rule.Category}'";
                var names = string.Join(", ", known.Select(t => t.Name).Order(StringComparer.Ordinal));
                var problem = $"this rule names {what}, which matches none of the system's tools ({(names.Length == 0 ? "none" : names)}). Fix the name or remove the rule.";
                throw new SpecException($"{rule.Source ?? policy.Source}: {problem}");
            }
        }
    }
}
