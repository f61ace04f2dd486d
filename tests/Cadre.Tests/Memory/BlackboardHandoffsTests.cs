using Cadre.Agents;
using Cadre.Memory;
using Cadre.Memory.Shared;
using Cadre.Observability;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Memory;

/// <summary>Handoffs are published on the blackboard with the note and the conversation, as the handing agent.</summary>
public sealed class BlackboardHandoffsTests
{
    private readonly InMemoryWorkspace _workspace = new();

    private static ScriptedChatClient Model() => new(
    [
        new ScriptedReply { Agent = "triage", ToolCalls = [ScriptedToolCall.With("lookup", new { q = "john" })] },
        new ScriptedReply { Agent = "triage", ToolCalls = [ScriptedToolCall.With("handoff", new { to = "billing", note = "John C-1001, charged twice for INV-1001" })] },
        new ScriptedReply { Agent = "billing", Text = "Refund opened." },
    ]);

    private static (Agent, Agent) Agents(ScriptedChatClient model) =>
        (new Agent("triage", model, "Route.").WithTools(AIFunctionFactory.Create((string q) => "John Carter C-1001", "lookup")),
         new Agent("billing", model, "Bill."));

    [Fact]
    public async Task A_handoff_puts_the_note_and_the_conversation_on_the_teams_board_written_by_the_handing_agent()
    {
        var (triage, billing) = Agents(Model());
        var board = _workspace.Memory.Blackboard(new MemoryScope("acme"), BlackboardActor.Operator());

        var run = await Workflow.Handoff(triage, billing).RunAsync("john@example.com was charged twice", _workspace,
            new RunOptions { Hooks = [new BlackboardHandoffs(board, team: "support")] });

        Assert.Equal(RunStatus.Completed, run.Status);
        var entry = await board.ReadAsync("team:support", BlackboardHandoffs.KeyFor(run.Id));
        var handoff = Assert.Single(entry!.Value!.AsArray())!;
        Assert.Equal(("triage", "billing", "John C-1001, charged twice for INV-1001", 1),
            ((string?)handoff["from"], (string?)handoff["to"], (string?)handoff["note"], (int)handoff["step"]!));
        var conversation = handoff["conversation"]!.AsArray().Select(m => (string?)m!["text"]).ToList();
        Assert.Equal("john@example.com was charged twice", conversation[0]);
        Assert.Contains(conversation, t => t!.Contains("[triage used lookup", StringComparison.Ordinal) && t.Contains("John Carter C-1001", StringComparison.Ordinal));
        var audit = Assert.Single(await board.AuditAsync("team:support"));
        Assert.Equal("triage", audit.Actor);
        // The receiving agent does not see the handing agent's raw tool calls, only the summary line.
        Assert.DoesNotContain(handoff["conversation"]!.AsArray(), m => (string?)m!["role"] == "tool");
    }

    [Fact]
    public async Task A_handoff_the_rules_forbid_to_publish_is_reported_and_the_run_still_completes()
    {
        var (triage, billing) = Agents(Model());
        var options = new BlackboardOptions { Access = BlackboardAccess.Default.Deny("triage", "shared", BlackboardPermission.Write) };
        var board = _workspace.Memory.Blackboard(new MemoryScope("acme"), BlackboardActor.Operator(), options);
        var notices = new List<string>();

        var run = await Workflow.Handoff(triage, billing).RunAsync("charged twice", _workspace,
            new RunOptions { Hooks = [new BlackboardHandoffs(board)], Observer = RunObserver.From(e => { if (e is RunNotice n) { notices.Add(n.Text); } }) });

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Contains(notices, n => n.StartsWith("BlackboardHandoffs failed: 'triage' may not write blackboard namespace 'shared'", StringComparison.Ordinal));
        Assert.Null(await board.ReadAsync("shared", BlackboardHandoffs.KeyFor(run.Id)));
    }
}
