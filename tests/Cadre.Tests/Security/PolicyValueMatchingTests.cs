using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Specs;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Security;

/// <summary>Approval rules match parsed argument values: every recipient, never a substring of the arguments' text,
/// and a wildcard never reaches past a separator.</summary>
public sealed class PolicyValueMatchingTests
{
    private const string Policy = """
        default: deny
        rules:
          - tool: send_email
            when: { to: "*@example.com" }
            decision: approve
          - tool: send_batch
            when: { "recipients[*].email": "*@example.com", "$.options.priority": "low" }
            decision: approve
          - tool: post_note
            when: { text: "**" }
            decision: approve
          - tool: write_file
            when: { path: "/srv/out/*" }
            decision: approve
        """;

    private static readonly ApprovalPolicy Rules = ApprovalPolicyFile.Parse(Policy, "approvals.yaml");

    private static bool Approves(string tool, string json)
    {
        var function = AIFunctionFactory.Create(() => "ok", tool);
        var call = ToolCalls.Call(tool, json);
        var context = new ToolApprovalContext(new AgentContext { Agent = "billing" }, function, ToolDescriptor.Of(function), ToolResults.FormatArguments(call));
        return Rules.RuleFor(context) is { Decision: ApprovalDecision.Approve };
    }

    [Theory]
    [InlineData("""{"to":"john@example.com"}""", true)]
    [InlineData("""{"to":["john@example.com","mary@example.com"]}""", true)]
    [InlineData("""{"to":"evil@attacker.com, john@example.com"}""", false)] // the issue's probe: '*' crossed the comma
    [InlineData("""{"to":"john@example.com, evil@attacker.com"}""", false)]
    [InlineData("""{"to":"john@example.com;evil@attacker.com"}""", false)]
    [InlineData("""{"to":"evil@attacker.com\njohn@example.com"}""", false)]
    [InlineData("""{"to":"evil@attacker.com\u0000@example.com"}""", false)]
    [InlineData("""{"to":"evil@attacker.com <x@example.com>"}""", false)]
    [InlineData("""{"to":["john@example.com","evil@attacker.com"]}""", false)]
    [InlineData("""{"to":["evil@attacker.com, john@example.com"]}""", false)]
    [InlineData("""{"to":[]}""", false)]
    [InlineData("""{"to":null}""", false)]
    [InlineData("""{"to":{"address":"john@example.com"}}""", false)]
    [InlineData("""{"to":"john@example.com","to":"evil@attacker.com"}""", false)] // a duplicate key is read both times
    [InlineData("""{"To":"evil@attacker.com","to":"john@example.com"}""", false)] // names match ignoring case
    [InlineData("""{"cc":"john@example.com"}""", false)]
    public void Every_recipient_must_match_and_wildcards_stay_within_one_address(string arguments, bool approved)
    {
        Assert.Equal(approved, Approves("send_email", arguments));
    }

    [Theory]
    [InlineData("""{"recipients":[{"email":"a@example.com"},{"email":"b@example.com"}],"options":{"priority":"low"}}""", true)]
    [InlineData("""{"recipients":[{"email":"a@example.com"},{"email":"b@attacker.com"}],"options":{"priority":"low"}}""", false)]
    [InlineData("""{"recipients":[{"email":"a@example.com"},{"name":"no address"}],"options":{"priority":"low"}}""", true)]
    [InlineData("""{"recipients":[{"email":"a@example.com"}],"options":{"priority":"high"}}""", false)]
    [InlineData("""{"recipients":[],"options":{"priority":"low"}}""", false)]
    public void A_rule_can_name_a_json_path_and_every_value_it_finds_must_match(string arguments, bool approved)
    {
        Assert.Equal(approved, Approves("send_batch", arguments));
    }

    [Theory]
    [InlineData("""{"path":"/srv/out/report.txt"}""", true)]
    [InlineData("""{"path":"/srv/out/../../etc/passwd"}""", false)]
    [InlineData("""{"path":"/srv/out/sub/report.txt"}""", false)]
    [InlineData("""{"path":"/srv/out/..\..\etc"}""", false)]
    public void A_wildcard_stays_within_one_path_segment(string arguments, bool approved)
    {
        Assert.Equal(approved, Approves("write_file", arguments));
    }

    [Fact]
    public void A_double_star_matches_free_text_with_separators()
    {
        Assert.True(Approves("post_note", """{"text":"Hello, world;\nsee you"}"""));
    }

    [Fact]
    public void A_policy_governs_every_tool_it_names_by_name_or_category()
    {
        var policy = ApprovalPolicyFile.Parse("""
            rules:
              - tool: create_ticket
                decision: deny
              - category: payments
                decision: deny
              - agent: billing
                decision: approve
            """, "approvals.yaml");
        var ticket = AIFunctionFactory.Create(() => "ok", "create_ticket");
        var refund = new ToolDescriptor { Category = "payments" }.Attach(AIFunctionFactory.Create(() => "ok", "refund"));
        var lookup = AIFunctionFactory.Create(() => "ok", "lookup_invoice");

        Assert.True(policy.Governs(ticket));
        Assert.True(policy.Governs(refund));
        Assert.False(policy.Governs(lookup)); // a rule naming only an agent governs no tool by itself
    }

    [Fact]
    public void A_rule_that_names_no_known_tool_is_an_error_at_its_line()
    {
        var policy = ApprovalPolicyFile.Parse("""
            default: deny
            rules:
              - tool: send_email
                decision: approve
              - tool: creat_ticket
                decision: deny
            """, "/specs/approvals.yaml");
        var tools = new[] { AIFunctionFactory.Create(() => "ok", "send_email"), AIFunctionFactory.Create(() => "ok", "create_ticket") };

        var error = Assert.Throws<SpecException>(() => ApprovalPolicyFile.CheckTools(policy, tools));

        Assert.StartsWith("/specs/approvals.yaml:5:5: this rule names tool 'creat_ticket', which matches none of the system's tools (create_ticket, send_email).", error.Message);
    }

    [Theory]
    [InlineData("recipients[x]")]
    [InlineData("recipients[0")]
    public void A_malformed_path_is_reported_where_it_is_written(string path)
    {
        var error = Assert.Throws<SpecException>(() => ApprovalPolicyFile.Parse($"rules:\n  - tool: t\n    when: {{ \"{path}\": x }}\n    decision: approve", "approvals.yaml"));

        Assert.StartsWith("approvals.yaml:3:13:", error.Message);
    }

    [Fact]
    public async Task A_tool_named_by_the_policy_is_decided_by_it_even_without_requiring_approval()
    {
        var policy = ApprovalPolicyFile.Parse("rules:\n  - tool: create_ticket\n    decision: deny\n    reason: tickets are frozen", "approvals.yaml");
        var opened = 0;
        var ticket = AIFunctionFactory.Create(() => ++opened, "create_ticket");
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Approver = policy }); // governs what it names by itself

        var record = await invoker.InvokeAsync(ToolCalls.Request("create_ticket", "{}", [ticket]), CancellationToken.None);

        Assert.Equal(ToolCallStatus.Denied, record.Status);
        Assert.Contains("tickets are frozen", record.Result);
        Assert.Equal(0, opened);
    }
}
