using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;

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
/// and a rule that names no tool of the system is an error (checked when a spec's tools are
/// loaded), never silently ignored. A policy is read from its YAML file with <c>Cadre.Specs.ApprovalPolicyFile</c>.
/// </summary>
public sealed class ApprovalPolicy : IToolApprover
{
    private readonly ConcurrentDictionary<string, ArgumentPattern> _patterns = new(StringComparer.Ordinal);

    /// <summary>Creates a policy from rules already read (a YAML file is read with <c>Cadre.Specs.ApprovalPolicyFile</c>).</summary>
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

    /// <summary>The rule that decides a call, or null when the default does.</summary>
    /// <param name="context">The call to decide: its tool, category, calling agent and arguments are matched.</param>
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
    /// <param name="tool">The tool; its category is read from its <see cref="ToolDescriptor"/>.</param>
    /// <returns>True when some rule names it.</returns>
    public bool Governs(AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var category = ToolDescriptor.Of(tool).Category;
        return Rules.Any(r => (r.Tool is not null || r.Category is not null) && Names(r, tool.Name, category));
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

    /// <summary>Whether a rule's tool and category (when set) match a tool's name and category.</summary>
    internal bool Names(ApprovalRule rule, string tool, string? category) =>
        Glob(rule.Tool, tool) && (rule.Category is null || string.Equals(rule.Category, category, StringComparison.Ordinal));

    private bool Glob(string? pattern, string value) =>
        pattern is null || _patterns.GetOrAdd(pattern, static p => new ArgumentPattern(p)).IsMatch(value);
}
