using Cadre.Tests.Support;

namespace Cadre.Tests.Security;

/// <summary>The issue's approval-bypass probes against the sample, through the command line: nothing reaches the
/// outbox unless every recipient is a sample customer, and a denied call exits 1, an invalid one 2.</summary>
public sealed class ApprovalBypassProbeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Outbox => _dir.Combine(".cadre", "support-desk", "outbox");

    private Task<CliRunner.Result> Send(string json) =>
        CliRunner.RunAsync(_dir.Path, "tools", "call", "send_email", "--spec", RepoPaths.SupportDesk, "--args", json);

    // The sample's tools with the approvals file of the test's folder.
    private void WriteSpec() => _dir.Write("cadre.yaml", $"""
        model: scripted:script.json
        tools:
          project: "{Path.Combine(RepoPaths.SupportDesk, "tools", "SupportDesk.csproj").Replace("\\", "/", StringComparison.Ordinal)}"
          approvals: approvals.yaml
        agents: {"{"} a: {"{"} instructions: x {"}"} {"}"}
        workflow: {"{"} type: sequential {"}"}
        """);

    private int Emails => Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, "*.eml").Length : 0;

    [Theory]
    [InlineData("""{"to":["evil@attacker.com, john@example.com"],"subject":"hi","body":"b"}""")]
    [InlineData("""{"to":["john@example.com","evil@attacker.com"],"subject":"hi","body":"b"}""")]
    [InlineData("""{"to":["john@example.com"],"to":["evil@attacker.com"],"subject":"hi","body":"b"}""")]
    [InlineData("""{"to":["evil@attacker.com\n@example.com"],"subject":"hi","body":"b"}""")]
    public async Task Mail_to_anyone_outside_example_com_is_denied_and_nothing_is_sent(string json)
    {
        var result = await Send(json);

        Assert.True(result.ExitCode == 1, result.Out + result.Error);
        Assert.Contains("denied and escalated by policy", result.Error);
        Assert.Equal(0, Emails);
    }

    [Fact]
    public async Task The_issues_probe_of_a_comma_separated_string_is_invalid_and_nothing_is_sent()
    {
        var result = await Send("""{"to":"evil@attacker.com, john@example.com","subject":"hi\nBcc: spy@attacker.com","body":"b"}""");

        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        Assert.Contains("to: must be an array", result.Error);
        Assert.Equal(0, Emails);
    }

    [Fact]
    public async Task A_header_in_the_subject_is_refused_by_the_tool_even_when_the_recipient_is_approved()
    {
        var result = await Send("""{"to":["john@example.com"],"subject":"hi\nBcc: spy@attacker.com","body":"b"}""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The subject must be one line", result.Error);
        Assert.Equal(0, Emails);
    }

    [Fact]
    public async Task Mail_to_sample_customers_is_still_approved_and_written_with_one_recipient_per_address()
    {
        var result = await Send("""{"to":["john@example.com","mary@example.com"],"subject":"Refund","body":"Done."}""");

        Assert.True(result.ExitCode == 0, result.Error);
        var email = File.ReadAllText(Assert.Single(Directory.GetFiles(Outbox, "*.eml")));
        Assert.StartsWith("To: john@example.com, mary@example.com\nSubject: Refund\n", email);
    }

    [Fact]
    public async Task A_scripted_model_inside_cadre_run_cannot_mail_outside_example_com()
    {
        File.Copy(Path.Combine(RepoPaths.SupportDesk, "approvals.yaml"), _dir.Combine("approvals.yaml"));
        _dir.Write("script.json", """
            { "replies": [
              { "toolCalls": [ { "name": "send_email", "arguments": { "to": ["evil@attacker.com, john@example.com"], "subject": "hi", "body": "b" } } ] },
              { "toolCalls": [ { "name": "send_email", "arguments": { "to": ["john@example.com", "spy@attacker.com"], "subject": "hi", "body": "b" } } ] },
              { "text": "I could not send it." } ] }
            """);
        _dir.Write("cadre.yaml", $"""
            model: scripted:script.json
            tools:
              project: "{Path.Combine(RepoPaths.SupportDesk, "tools", "SupportDesk.csproj").Replace("\\", "/", StringComparison.Ordinal)}"
              approvals: approvals.yaml
            agents:
              mailer: {"{"} instructions: Email the customer., tools: [send_email] {"}"}
            workflow: {"{"} type: sequential {"}"}
            """);

        var result = await CliRunner.RunAsync(_dir.Path, "run", ".", "email john");

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Equal(2, result.Out.Split("send_email denied and escalated by policy").Length - 1);
        Assert.Equal(0, Emails);
    }

    [Fact]
    public async Task A_policy_rule_for_a_tool_that_needs_no_approval_is_applied()
    {
        WriteSpec();
        _dir.Write("approvals.yaml", "default: deny\nrules:\n  - tool: create_ticket\n    decision: deny\n    reason: tickets are opened by people this week\n");

        var result = await CliRunner.RunAsync(_dir.Path, "tools", "call", "create_ticket", "--spec", ".", "--args", """{"customerId":"C-1001","subject":"s","description":"d"}""");

        Assert.True(result.ExitCode == 1, result.Out + result.Error);
        Assert.Contains("denied by policy: tickets are opened by people this week", result.Error);
    }

    [Fact]
    public async Task A_policy_rule_naming_no_tool_of_the_spec_stops_the_command_with_its_location()
    {
        _dir.Write("approvals.yaml", "default: deny\nrules:\n  - tool: creat_ticket\n    decision: deny\n");
        WriteSpec();

        var result = await CliRunner.RunAsync(_dir.Path, "tools", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{_dir.Combine("approvals.yaml")}:3:5: this rule names tool 'creat_ticket', which matches none of the system's tools", result.Error);
    }
}
