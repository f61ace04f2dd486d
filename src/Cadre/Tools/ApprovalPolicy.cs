using System.Collections.Concurrent;
using System.Text.Json;
using Cadre.Specs;
using Microsoft.Extensions.AI;
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
/// Conditions match parsed values, not the arguments' text: a condition names an argument or a JSON path into one
/// (<c>recipients[*].email</c>), a list or an email-like text is matched element by element and every element must
/// match, and <c>*</c> never crosses a separator (see <see cref="ApprovalRule.When"/>). A tool that a rule names (by
/// name or category) is governed by the policy even when it does not require approval itself (<see cref="Governs"/>),
/// and a rule that names no tool of the system is an error (<see cref="CheckTools"/>), never silently ignored.
/// </summary>
public sealed class ApprovalPolicy : IToolApprover
{
    private static readonly string[] TopKeys = ["default", "rules"];
    private static readonly string[] RuleKeys = ["tool", "category", "agent", "when", "decision", "reason"];
    private static readonly string[] Decisions = ["approve", "deny", "deny-and-escalate"];
    private readonly ConcurrentDictionary<string, ArgumentPattern> _patterns = new(StringComparer.Ordinal);

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
                    Location = At(rule),
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
        JsonDocument? arguments = null;
        try
        {
            foreach (var rule in Rules)
            {
                if (!Names(rule, context.Tool.Name, context.Descriptor.Category) || !Glob(rule.Agent, context.Caller.Agent))
                {
                    continue;
                }

                if (rule.When.Count == 0)
                {
                    return rule;
                }

                arguments ??= ReadArguments(context.Arguments);
                if (arguments is not null && rule.When.All(c => ArgumentValues.Read(arguments.RootElement, c.Key) is { } values && values.All(v => Glob(c.Value, v))))
                {
                    return rule;
                }
            }

            return null;
        }
        finally
        {
            arguments?.Dispose();
        }
    }

    /// <summary>Whether a rule names a tool (by name or category), which makes calls of it governed by this policy
    /// even when the tool does not require approval itself.</summary>
    /// <param name="tool">The tool.</param>
    /// <returns>True when some rule names it.</returns>
    public bool Governs(AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var category = ToolDescriptor.Of(tool).Category;
        return Rules.Any(r => (r.Tool is not null || r.Category is not null) && Names(r, tool.Name, category));
    }

    /// <summary>Checks that every rule's tool and category name at least one of the system's tools, so a rule with a
    /// misspelt or missing tool is reported where it is written rather than silently never matching.</summary>
    /// <param name="tools">The system's tools.</param>
    /// <exception cref="SpecException">A rule names no known tool; the message gives its file:line.</exception>
    public void CheckTools(IEnumerable<AIFunction> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var known = tools.Select(t => (t.Name, ToolDescriptor.Of(t).Category)).ToList();
        foreach (var rule in Rules)
        {
            if (rule.Tool is null && rule.Category is null)
            {
                continue;
            }

            if (!known.Any(t => Names(rule, t.Name, t.Category)))
            {
                var what = rule.Tool is not null && rule.Category is not null
                    ? $"tool '{rule.Tool}' in category '{rule.Category}'"
                    : rule.Tool is not null ? $"tool '{rule.Tool}'" : $"category '{rule.Category}'";
                var names = string.Join(", ", known.Select(t => t.Name).Order(StringComparer.Ordinal));
                var problem = $"this rule names {what}, which matches none of the system's tools ({(names.Length == 0 ? "none" : names)}). Fix the name or remove the rule.";
                throw rule.Location is { } at ? new SpecException(at, problem) : new SpecException($"{rule.Source ?? Source}: {problem}");
            }
        }
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

    // Unreadable arguments (or anything but an object) match no condition.
    private static JsonDocument? ReadArguments(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private bool Names(ApprovalRule rule, string tool, string? category) =>
        Glob(rule.Tool, tool) && (rule.Category is null || string.Equals(rule.Category, category, StringComparison.Ordinal));

    private bool Glob(string? pattern, string value) =>
        pattern is null || _patterns.GetOrAdd(pattern, static p => new ArgumentPattern(p)).IsMatch(value);
}
