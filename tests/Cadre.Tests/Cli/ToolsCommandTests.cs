using System.Text.Json.Nodes;
using Cadre.Agents;
using Cadre.Cli.Hosting;
using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Cli;

/// <summary><c>cadre tools list|search|schema|call</c> on the sample's spec and on a spec with an MCP server, and how
/// <c>cadre run</c> decides approvals with no terminal attached.</summary>
public sealed class ToolsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Cadre(params string[] args) => CliRunner.RunAsync(_dir.Path, args);

    [Fact]
    public async Task List_shows_every_tool_with_its_category_side_effects_and_governance()
    {
        var result = await Cadre("tools", "list", "--spec", RepoPaths.SupportDesk);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"^TOOL\s+CATEGORY\s+EFFECTS\s+GOVERNANCE\s+DESCRIPTION$", result.Lines[0]);
        Assert.Matches(@"^send_email\s+email\s+irreversible\s+approval, idempotent, 5 per minute calls per agent\s+Send an email", result.Lines.Single(l => l.StartsWith("send_email", StringComparison.Ordinal)));
        Assert.Matches(@"^lookup_invoice\s+crm\s+none\s+cached 30s\s+Look up", result.Lines.Single(l => l.StartsWith("lookup_invoice", StringComparison.Ordinal)));
        Assert.Equal(5, result.Lines.Count);
    }

    [Fact]
    public async Task List_by_category_as_json_includes_descriptors_and_parameter_schemas()
    {
        var result = await Cadre("tools", "list", "--spec", RepoPaths.SupportDesk, "--category", "crm", "--json");

        Assert.Equal(0, result.ExitCode);
        var tools = JsonNode.Parse(result.Out)!.AsArray();
        Assert.Equal(["search_customer", "lookup_invoice"], tools.Select(t => (string?)t!["name"]));
        Assert.Equal("none", (string?)tools[1]!["sideEffects"]);
        Assert.Equal(30, (double?)tools[1]!["cacheSeconds"]);
        Assert.Equal("string", (string?)tools[1]!["parameters"]!["properties"]!["invoiceId"]!["type"]);

        var unknown = await Cadre("tools", "list", "--spec", RepoPaths.SupportDesk, "--category", "payments");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No tool has category 'payments'. Categories: crm, email, tickets.", unknown.Error);
    }

    [Fact]
    public async Task Search_ranks_tools_by_what_they_do_and_schema_prints_the_OpenAI_function()
    {
        var search = await Cadre("tools", "search", "refund a duplicate charge on an invoice", "--spec", RepoPaths.SupportDesk);
        var schema = await Cadre("tools", "schema", "send_email", "--spec", RepoPaths.SupportDesk);

        Assert.Equal(0, search.ExitCode);
        Assert.StartsWith("lookup_invoice", search.Lines[1]);
        Assert.Contains("SCORE", search.Lines[0]);
        Assert.Equal(0, schema.ExitCode);
        var function = JsonNode.Parse(schema.Out)!;
        Assert.Equal("function", (string?)function["type"]);
        Assert.Equal("send_email", (string?)function["function"]!["name"]);
        Assert.Equal(["to", "subject", "body"], function["function"]!["parameters"]!["required"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Call_goes_through_the_governed_path_and_is_audited_in_the_workspace()
    {
        var ok = await Cadre("tools", "call", "lookup_invoice", "--spec", RepoPaths.SupportDesk, "--args", """{"invoiceId":"INV-1001"}""");
        var json = await Cadre("tools", "call", "lookup_invoice", "--spec", RepoPaths.SupportDesk, "--args", """{"invoiceId":"INV-1001"}""", "--json");

        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Contains("\"id\":\"INV-1001\"", ok.Out);
        Assert.Equal("succeeded", (string?)JsonNode.Parse(json.Out)!["status"]); // the cache lives in the process; a new one calls again
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre"));
        var audit = await workspace.Audit.QueryAsync(new AuditQuery { Tool = "lookup_invoice" });
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.Equal("operator", e.Agent));
    }

    [Theory]
    [InlineData("""{"invoiceId":1001}""", "error: the arguments for 'lookup_invoice' do not fit its parameters: invoiceId: must be a string, not 1001.")]
    [InlineData("""{"invoice":"INV-1"}""", "unknown field 'invoice'; its fields are invoiceId")]
    [InlineData("""{"invoiceId":""", "error: --args is not valid JSON")]
    [InlineData("""["INV-1"]""", "error: --args must be a JSON object")]
    public async Task Call_with_invalid_arguments_exits_2_and_prints_what_is_wrong(string args, string message)
    {
        var result = await Cadre("tools", "call", "lookup_invoice", "--spec", RepoPaths.SupportDesk, "--args", args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task Call_of_an_unknown_tool_exits_2_with_suggestions()
    {
        var result = await Cadre("tools", "call", "invoice", "--spec", RepoPaths.SupportDesk, "--args", "{}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("There is no tool 'invoice'. Did you mean: lookup_invoice?", result.Error);
    }

    [Fact]
    public async Task Without_a_terminal_the_specs_policy_decides_approvals()
    {
        var approved = await Cadre("tools", "call", "send_email", "--spec", RepoPaths.SupportDesk, "--args", """{"to":["john@example.com"],"subject":"Hi","body":"Hello"}""");
        var escalated = await Cadre("tools", "call", "send_email", "--spec", RepoPaths.SupportDesk, "--args", """{"to":["boss@elsewhere.test"],"subject":"Hi","body":"Hello"}""");

        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Contains("approved by policy: mail to sample customers (example.com) is approved", approved.Error);
        Assert.Single(Directory.GetFiles(_dir.Combine(".cadre", "support-desk", "outbox"), "*.eml"));
        Assert.Equal(1, escalated.ExitCode);
        Assert.Contains("denied and escalated by policy: mail outside example.com needs a person", escalated.Error);
        Assert.Contains("error: the call to 'send_email' was not approved", escalated.Error);
    }

    [Fact]
    public async Task Without_a_terminal_or_a_policy_a_run_denies_calls_that_need_approval_and_says_so()
    {
        File.WriteAllText(_dir.Combine("script.json"), """
            { "replies": [
              { "toolCalls": [ { "name": "send_email", "arguments": { "to": ["john@example.com"], "subject": "Hi", "body": "Hello" } } ] },
              { "text": "I could not send the email." } ] }
            """);
        _dir.Write("cadre.yaml", $"""
            model: scripted:script.json
            tools: {"{"} project: "{Path.Combine(RepoPaths.SupportDesk, "tools", "SupportDesk.csproj").Replace("\\", "/", StringComparison.Ordinal)}" {"}"}
            agents:
              mailer: {"{"} instructions: Email the customer., tools: [send_email] {"}"}
            workflow: {"{"} type: sequential {"}"}
            """);

        var result = await Cadre("run", ".", "email john");

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("approvals: none — no terminal is attached and the spec names no approval policy, so calls that need approval are denied", result.Out);
        Assert.Contains("? send_email denied by no approver: no terminal is attached and the spec names no approval policy", result.Out);
        Assert.Contains("✗ send_email (Denied) Error: the call to 'send_email' was not approved", result.Out);
        Assert.False(Directory.Exists(_dir.Combine(".cadre", "support-desk", "outbox")));
    }

    [Fact]
    public async Task Tools_of_the_specs_MCP_servers_and_chains_are_listed_and_called_from_the_current_folder()
    {
        _dir.Write("cadre.yaml", $"""
            model: scripted:script.json
            tools:
              mcp: [ "dotnet '{RepoPaths.McpTestServer}'" ]
            chains:
              add_and_echo:
                description: Add two numbers, then ten.
                input: {"{"} a: integer, b: integer {"}"}
                steps:
                  - {"{"} name: sum, tool: add, args: {"{"} a: $input.a, b: $input.b {"}"} {"}"}
                  - {"{"} tool: add, args: {"{"} a: $sum, b: 10 {"}"} {"}"}
            agents:
              helper: {"{"} instructions: Help., tools: [cadre-test] {"}"}
            workflow: {"{"} type: sequential {"}"}
            """);

        var list = await Cadre("tools", "list");
        var add = await Cadre("tools", "call", "add", "--args", """{"a":20,"b":22}""");
        var chain = await Cadre("tools", "call", "add_and_echo", "--args", """{"a":1,"b":2}""");

        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Equal(["echo", "add", "save_note", "wipe_notes", "fail", "read_env", "add_and_echo"], list.Lines.Skip(1).Select(l => l.Split(' ')[0]));
        Assert.Equal((0, "42"), (add.ExitCode, add.Out.Trim()));
        Assert.Equal((0, "13"), (chain.ExitCode, chain.Out.Trim()));
    }

    [Fact]
    public async Task A_missing_approval_policy_is_reported_where_the_spec_names_it()
    {
        _dir.Write("cadre.yaml", """
            model: scripted:script.json
            tools: { approvals: approvals.yml }
            agents: { a: { instructions: x } }
            workflow: { type: sequential }
            """);

        var result = await Cadre("tools", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.True(result.Error.Contains("cadre.yaml:2:", StringComparison.Ordinal), result.Error);
        Assert.Contains("approvals.yml: the approval policy file does not exist.", result.Error);
    }

    [Fact]
    public async Task A_relative_MCP_server_command_is_found_next_to_the_spec()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the launcher below is a POSIX shell script
        }

        var script = _dir.Write("system/bin/serve.sh", $"#!/bin/sh\nexec dotnet '{RepoPaths.McpTestServer}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _dir.Write("system/cadre.yaml", """
            model: scripted:script.json
            tools: { mcp: [ "./bin/serve.sh" ] }
            agents: { a: { instructions: x } }
            workflow: { type: sequential }
            """);

        var result = await Cadre("tools", "call", "echo", "--spec", "system", "--args", """{"text":"found"}""");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("found", result.Out.Trim());
    }

    [Fact]
    public async Task A_spec_with_an_MCP_server_that_does_not_start_is_reported_where_it_is_named()
    {
        _dir.Write("cadre.yaml", """
            model: scripted:script.json
            tools: { mcp: [ "cadre-no-such-server" ] }
            agents: { a: { instructions: x } }
            workflow: { type: sequential }
            """);

        var result = await Cadre("tools", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cadre.yaml:2:17: Cannot connect to the MCP server 'cadre-no-such-server'", result.Error);
    }

    [Fact]
    public async Task The_terminal_approver_asks_one_question_at_a_time_and_maps_the_answers()
    {
        var questions = new List<string>();
        var answers = new Queue<string>(["Approve", "Deny", "Deny and escalate"]);
        using var approver = new ConsoleApprover((question, choices, _) =>
        {
            questions.Add(question);
            Assert.Equal(ConsoleApprover.Choices, choices);
            return Task.FromResult(answers.Dequeue());
        });
        var tool = new ToolDescriptor { SideEffects = SideEffects.Irreversible, RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => "sent", "send_email"));
        var context = new ToolApprovalContext(new AgentContext { Agent = "billing" }, tool, ToolDescriptor.Of(tool), """{"to":"a@b.c"}""");
        async Task<ToolApprovalResponseContent> Ask() => await approver.DecideAsync(new ToolApprovalRequestContent("r", ToolCalls.Call("send_email")), context, CancellationToken.None);

        var (approve, deny, escalate) = (await Ask(), await Ask(), await Ask());

        Assert.True(approve.Approved);
        Assert.Equal("operator", ToolApprovals.ApproverOf(approve));
        Assert.False(deny.Approved);
        Assert.False(ToolApprovals.IsEscalated(deny));
        Assert.True(ToolApprovals.IsEscalated(escalate));
        Assert.Contains("[blue]billing[/] wants to call [bold]send_email[/] (irreversible side effects)", questions[0]);
        Assert.Contains("\n  to: \"a@b.c\"", questions[0]);
    }
}
