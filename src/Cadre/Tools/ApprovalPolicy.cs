using System.Text.Json;
using System.Text.RegularExpressions;
using Cadre.Specs;
using Microsoft.Extensions.AI;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cadre.Tools;

/// <summary>
/// An approver for unattended runs: rules read from a YAML file decide each call (the first rule that matches), and
/// a default decides the rest. For example:
/// <code>
/// default: deny
/// rules:
///   - tool: send_email
///     when: { to: "*@example.com" }
///     decision: approve
///     reason: Sample customers only.
///   - category: payments
///     decision: deny-and-escalate
/// </code>
/// </summary>
public sealed class ApprovalPolicy : IToolApprover
{
    private static readonly string[] TopKeys = ["default", "rules"];
    private static readonly string[] RuleKeys = ["tool", "category", "agent", "when", "decision", "reason"];
    private static readonly string[] Decisions = ["approve", "deny", "deny-and-escalate"];

    /// <summary>Creates a policy.</summary>
    /// <param name="rules">The rules, tried in order.</param>
    /// <param name="default">The decision when no rule matches.</param>
    /// <param name="source">Where the policy came from (a file), for messages.</param>
    public ApprovalPolicy(IReadOnlyList<ApprovalRule> rules, ApprovalDecision @default = ApprovalDecision.Deny, string source = "approval policy")
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        Default = @default;
        Source = source;
    }

    /// <summary>The rules, tried in order.</summary>
    public IReadOnlyList<ApprovalRule> Rules { get; }

    /// <summary>The decision when no rule matches.</summary>
    public ApprovalDecision Default { get; }

    /// <summary>Where the policy came from.</summary>
    public string Source { get; }

    /// <summary>Loads a policy file.</summary>
    /// <param name="path">The YAML file.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="SpecException">The file is missing or malformed; the message says where and how to fix it.</exception>
    public static ApprovalPolicy Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        return File.Exists(full)
            ? Parse(File.ReadAllText(full), full)
            : throw new SpecException($"{full}: the approval policy file does not exist.");
    }

    /// <summary>Parses a policy.</summary>
    /// <param name="yaml">The text.</param>
    /// <param name="file">Where it came from.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="SpecException">The text is malformed.</exception>
    public static ApprovalPolicy Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        SpecLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new SpecException(new SpecLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), $"not valid YAML: {ex.Message}", ex);
        }

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
                        when[Scalar(key, "an argument name")] = Scalar(value, "an argument pattern");
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

    /// <summary>The rule that decides a call, or null when the default does.</summary>
    /// <param name="context">The call.</param>
    /// <returns>The first matching rule.</returns>
    public ApprovalRule? RuleFor(ToolApprovalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Dictionary<string, string>? arguments = null;
        foreach (var rule in Rules)
        {
            if (!Glob(rule.Tool, context.Tool.Name) || !Glob(rule.Agent, context.Caller.Agent)
                || (rule.Category is not null && !string.Equals(rule.Category, context.Descriptor.Category, StringComparison.Ordinal)))
            {
                continue;
            }

            arguments ??= ReadArguments(context.Arguments);
            if (rule.When.All(c => arguments.TryGetValue(c.Key, out var value) && Glob(c.Value, value)))
            {
                return rule;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask<ToolApprovalResponseContent> DecideAsync(ToolApprovalRequestContent request, ToolApprovalContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rule = RuleFor(context);
        var decision = rule?.Decision ?? Default;
        var reason = rule is null
            ? $"no rule of {System.IO.Path.GetFileName(Source)} matches; its default is {Word(Default)}"
            : rule.Reason ?? $"rule at {rule.Source}";
        return ValueTask.FromResult(decision == ApprovalDecision.Approve
            ? ToolApprovals.Approve(request, "policy", reason)
            : ToolApprovals.Deny(request, "policy", reason, decision == ApprovalDecision.DenyAndEscalate));
    }

    private static string Word(ApprovalDecision decision) => decision switch
    {
        ApprovalDecision.Approve => "approve",
        ApprovalDecision.Deny => "deny",
        _ => "deny-and-escalate",
    };

    private static Dictionary<string, string> ReadArguments(string json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            // Unreadable arguments match no condition.
        }

        return values;
    }

    private static bool Glob(string? pattern, string value) =>
        pattern is null || Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
}
