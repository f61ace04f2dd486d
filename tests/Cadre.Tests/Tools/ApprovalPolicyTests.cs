using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Specs;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>Policy files decide approvals for unattended runs: the first matching rule, else the default.</summary>
public sealed class ApprovalPolicyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Policy = """
        # Decisions for unattended runs.
        default: deny
        rules:
          - tool: send_email
            when: { to: "*@example.com" }
            decision: approve
            reason: Sample customers only.
          - category: payments
            agent: billing*
            decision: deny-and-escalate
            reason: Refunds need a person.
          - tool: "lookup_*"
            decision: approve
        """;

    private static readonly AIFunction Send = AIFunctionFactory.Create((string to) => "sent", "send_email");
    private static readonly AIFunction Refund = new ToolDescriptor { Category = "payments" }.Attach(AIFunctionFactory.Create((string charge) => "ok", "refund_charge"));

    private static async Task<ToolApprovalResponseContent> Decide(ApprovalPolicy policy, AIFunction tool, string json, string agent = "billing")
    {
        var call = ToolCalls.Call(tool.Name, json);
        return await policy.DecideAsync(new ToolApprovalRequestContent("r1", call), new ToolApprovalContext(new AgentContext { Agent = agent }, tool, ToolDescriptor.Of(tool), ToolResults.FormatArguments(call)), CancellationToken.None);
    }

    [Fact]
    public async Task The_first_matching_rule_decides_and_the_default_decides_the_rest()
    {
        var policy = ApprovalPolicyFile.Load(_dir.Write("approvals.yaml", Policy));

        var approved = await Decide(policy, Send, """{"to":"john@example.com"}""");
        var elsewhere = await Decide(policy, Send, """{"to":"john@evil.test"}""");
        var escalated = await Decide(policy, Refund, """{"charge":"CH-1"}""", "billing-l2");
        var otherAgent = await Decide(policy, Refund, """{"charge":"CH-1"}""", "triage");
        var lookup = await Decide(policy, AIFunctionFactory.Create(() => "x", "lookup_invoice"), "{}");

        Assert.True(approved.Approved);
        Assert.Equal(("policy", "Sample customers only."), (ToolApprovals.ApproverOf(approved), approved.Reason));
        Assert.False(elsewhere.Approved);
        Assert.Equal("no rule of approvals.yaml matches; its default is deny", elsewhere.Reason);
        Assert.False(escalated.Approved);
        Assert.True(ToolApprovals.IsEscalated(escalated));
        Assert.Equal("Refunds need a person.", escalated.Reason);
        Assert.False(otherAgent.Approved);
        Assert.False(ToolApprovals.IsEscalated(otherAgent));
        Assert.True(lookup.Approved);
        Assert.Equal(3, policy.Rules.Count);
        Assert.Contains("approvals.yaml:4:5", policy.Rules[0].Source);
    }

    [Theory]
    [InlineData("default: maybe", "approvals.yaml:1:10: a decision must be one of approve, deny, deny-and-escalate, not 'maybe'.")]
    [InlineData("rules:\n  - tool: x\n    decison: approve", "approvals.yaml:3:5: unknown key 'decison' in a rule.")]
    [InlineData("rules:\n  - tool: x", "approvals.yaml:2:5: a rule needs 'decision:'")]
    [InlineData("rules: approve", "'rules' must be a list of rules")]
    [InlineData("rules:\n  - tool: x\n    when: yes\n    decision: approve", "'when' maps argument names to patterns")]
    [InlineData("default: [deny", "approvals.yaml:2:1: not valid YAML")]
    public void A_malformed_policy_is_reported_with_file_line_and_column(string yaml, string message)
    {
        var error = Assert.Throws<SpecException>(() => ApprovalPolicyFile.Load(_dir.Write("approvals.yaml", yaml)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_missing_policy_file_is_reported()
    {
        Assert.Contains("does not exist", Assert.Throws<SpecException>(() => ApprovalPolicyFile.Load(_dir.Combine("none.yaml"))).Message);
    }
}
