using Cadre.AgentFramework;
using Cadre.Agents;
using Cadre.Runs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using CadreAgent = Cadre.Agents.Agent;

namespace Cadre.Tests.AgentFramework;

/// <summary>Agent Framework both ways: a Cadre agent as an AIAgent, AF's ChatClientAgent in Cadre workflows, context
/// providers adapted.</summary>
public sealed class AgentFrameworkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // AF's real ChatClientAgent over a scripted model, with a tool of its own that counts its calls.
    private static ChatClientAgent AfAgent(string name, ScriptedChatClient model, Func<string>? tool = null) =>
        new(model, new ChatClientAgentOptions
        {
            Name = name,
            Description = $"The {name} (Agent Framework)",
            ChatOptions = new ChatOptions
            {
                Instructions = $"You are the {name}.",
                Tools = tool is null ? [] : [AIFunctionFactory.Create(tool, "lookup_order")],
            },
        });

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_Cadre_agent_runs_as_an_AIAgent_with_governed_audited_tools_and_its_session_is_a_conversation(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var model = new ScriptedChatClient([
            ScriptedReply.Call("find_invoice", new { id = "INV-1" }),
            ScriptedReply.Say("INV-1 is paid."),
            ScriptedReply.Say("You asked about INV-1.")]);
        var cadre = new CadreAgent("billing", model, "Answer billing questions.")
            .WithTools(AIFunctionFactory.Create((string id) => $"{id}: paid", "find_invoice"));
        AIAgent agent = cadre.AsAIAgent(workspace);

        var session = await agent.CreateSessionAsync();
        var first = await agent.RunAsync("Is INV-1 paid?", session);
        var saved = await agent.SerializeSessionAsync(session);
        var restored = await agent.DeserializeSessionAsync(saved);
        var second = await agent.RunAsync("What did I ask?", restored);

        Assert.Equal("INV-1 is paid.", first.Text);
        Assert.Equal("You asked about INV-1.", second.Text);
        Assert.Equal("billing", agent.Name);
        var audit = await workspace.Audit.QueryAsync(new AuditQuery { Agent = "billing" });
        var entry = Assert.Single(audit);
        Assert.Equal(("find_invoice", ToolCallStatus.Succeeded), (entry.Tool, entry.Status));
        // The restored session continued the stored conversation: the third model call saw the first question.
        Assert.Contains(model.Requests[2], m => m.Role == ChatRole.User && m.Text == "Is INV-1 paid?");
        var conversationId = ((CadreAgentSession)restored).ConversationId;
        Assert.Equal(6, (await workspace.Conversations.LoadAsync(conversationId)).Count);
    }

    [Fact]
    public async Task A_Cadre_agent_s_tool_that_needs_approval_is_denied_through_the_AIAgent_too()
    {
        var model = new ScriptedChatClient([ScriptedReply.Call("send_email", new { to = "a@b.c" }), ScriptedReply.Say("I could not send it.")]);
        var sent = 0;
        var tools = new ToolRegistry().Add(
            AIFunctionFactory.Create((string to) => { sent++; return $"sent to {to}"; }, "send_email"),
            t => t.SideEffects(SideEffects.Irreversible).RequiresApproval());
        var agent = new CadreAgent("mailer", model, "Send mail.").WithTools(tools, "send_email").AsAIAgent(new InMemoryWorkspace());

        var response = await agent.RunAsync("mail a@b.c");

        Assert.Equal(0, sent);
        Assert.Contains(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.Result?.ToString()?.Contains("approv", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task An_Agent_Framework_agent_works_in_a_sequential_workflow_and_its_own_tool_calls_stay_inside_it(string kind)
    {
        await using var workspace = await TestWorkspaces.OpenAsync(kind, _dir);
        var lookups = 0;
        var afModel = new ScriptedChatClient([ScriptedReply.Call("lookup_order", new { }), ScriptedReply.Say("Order 7 shipped yesterday.")]);
        var researcher = AfAgent("researcher", afModel, () => { lookups++; return "order 7: shipped"; }).AsCadreAgent();
        var writerModel = new ScriptedChatClient([ScriptedReply.Say("Your order 7 shipped yesterday.")]);
        var writer = new CadreAgent("writer", writerModel, "Write the reply.");

        var run = await Workflow.Sequential(researcher, writer).RunAsync("where is order 7?", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("Your order 7 shipped yesterday.", run.Answer);
        Assert.Equal(["researcher", "writer"], run.Steps.Select(s => s.Agent));
        Assert.Equal(1, lookups);
        Assert.Equal("Order 7 shipped yesterday.", run.Steps[0].Text);
        Assert.Contains(writerModel.Requests[0], m => m.Text.Contains("[researcher] Order 7 shipped yesterday.", StringComparison.Ordinal));
        // The AF agent got its own instructions and the task, not an empty Cadre system prompt.
        Assert.Contains(afModel.Requests[0], m => m.Role == ChatRole.User && m.Text == "where is order 7?");
        Assert.DoesNotContain(afModel.Requests[0], m => m.Role == ChatRole.System && m.Text.Length == 0);
    }

    [Fact]
    public async Task An_Agent_Framework_agent_s_own_tools_go_through_the_governed_path_as_its_Cadre_agent()
    {
        await using var workspace = new InMemoryWorkspace();
        var lookups = 0;
        var afModel = new ScriptedChatClient([ScriptedReply.Call("lookup_order", new { }), ScriptedReply.Say("Order 7 shipped.")]);
        var researcher = AfAgent("researcher", afModel, () => { lookups++; return "order 7: shipped"; }).AsCadreAgent();

        var run = await Workflow.Sequential(researcher).RunAsync("where is order 7?", workspace);

        Assert.Equal((RunStatus.Completed, 1), (run.Status, lookups));
        var entry = Assert.Single(await workspace.Audit.QueryAsync(new AuditQuery()));
        Assert.Equal(("researcher", "lookup_order", ToolCallStatus.Succeeded, run.Id), (entry.Agent, entry.Tool, entry.Status, entry.RunId));

        // Grants apply to the AIAgent's tools too: one that is not granted never runs, and the AIAgent's model is told.
        var deniedModel = new ScriptedChatClient([ScriptedReply.Call("lookup_order", new { }), ScriptedReply.Say("I may not look it up.")]);
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Permissions = new ToolPermissions().Grant("guarded", "crm") });
        var guarded = AfAgent("guarded", deniedModel, () => { lookups++; return "order 7: shipped"; }).AsCadreAgent(toolInvoker: invoker);

        var denied = await Workflow.Sequential(guarded).RunAsync("where is order 7?", workspace);

        Assert.Equal("I may not look it up.", denied.Answer);
        Assert.Equal(1, lookups);
        Assert.Contains(deniedModel.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>(),
            r => r.Result?.ToString()?.Contains("agent 'guarded' is not allowed to call 'lookup_order'", StringComparison.Ordinal) == true);
        Assert.Equal(ToolCallStatus.Denied, Assert.Single(await workspace.Audit.QueryAsync(new AuditQuery { Agent = "guarded" })).Status);
    }

    [Fact]
    public async Task Handoff_works_both_ways_between_a_Cadre_agent_and_an_Agent_Framework_agent()
    {
        await using var workspace = new InMemoryWorkspace();
        var triage = new CadreAgent("triage", new ScriptedChatClient([ScriptedReply.Call("handoff", new { to = "shipping", note = "order 7 is late" })]), "Route.");
        var shipping = AfAgent("shipping", new ScriptedChatClient([ScriptedReply.Call("handoff", new { to = "billing", note = "wants a refund for order 7" })])).AsCadreAgent();
        var billingModel = new ScriptedChatClient([ScriptedReply.Say("Refunded order 7.")]);
        var billing = new CadreAgent("billing", billingModel, "Refunds.");

        var run = await Workflow.Handoff(triage, shipping, billing).RunAsync("order 7 is late, refund me", workspace);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["triage", "shipping", "billing"], run.Steps.Select(s => s.Agent));
        Assert.Equal("Refunded order 7.", run.Answer);
        Assert.Contains(billingModel.Requests[0], m => m.Text.Contains("wants a refund for order 7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_Agent_Framework_worker_serves_a_supervisor_and_speaks_in_a_group_chat()
    {
        await using var workspace = new InMemoryWorkspace();
        var worker = AfAgent("researcher", new ScriptedChatClient([ScriptedReply.Say("Found: order 7 shipped.")])).AsCadreAgent();
        var lead = new CadreAgent("lead", new ScriptedChatClient([
            ScriptedReply.Call("handoff", new { to = "researcher", note = "find order 7" }),
            ScriptedReply.Say("Order 7 has shipped.")]), "Plan and assign.");

        var supervised = await Workflow.Supervised(lead, worker).RunAsync("where is order 7?", workspace);

        Assert.Equal(RunStatus.Completed, supervised.Status);
        Assert.Equal(["lead", "researcher", "lead"], supervised.Steps.Select(s => s.Agent));

        var critic = AfAgent("critic", new ScriptedChatClient([ScriptedReply.Say("Say business days.")])).AsCadreAgent();
        var writer = new CadreAgent("writer", new ScriptedChatClient([ScriptedReply.Say("Refunds take 5 days."), ScriptedReply.Say("Refunds take 5 business days. DONE")]), "Write.");

        var chat = await Workflow.GroupChat([writer, critic]).RunAsync("write the refund line", workspace);

        Assert.Equal(["writer", "critic", "writer"], chat.Steps.Select(s => s.Agent));
        Assert.Equal("Refunds take 5 business days.", chat.Answer);
    }

    [Fact]
    public async Task A_run_with_an_Agent_Framework_step_resumes_from_its_checkpoint_without_running_that_step_again()
    {
        await using var workspace = await SqliteWorkspaceIn(_dir);
        var afModel = new ScriptedChatClient([ScriptedReply.Say("Order 7 shipped.")]);
        var researcher = AfAgent("researcher", afModel).AsCadreAgent();
        var broken = new CadreAgent("writer", new ScriptedChatClient([ScriptedReply.Fail("bad request", 400)]), "Write.");

        var failed = await Workflow.Sequential(researcher, broken).RunAsync("where is order 7?", workspace);
        Assert.NotEqual(RunStatus.Completed, failed.Status);

        var writerModel = new ScriptedChatClient([ScriptedReply.Say("It shipped.")]);
        var resumed = await Workflow.Sequential(researcher, new CadreAgent("writer", writerModel, "Write.")).ResumeAsync(failed.Id, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal("It shipped.", resumed.Answer);
        Assert.Single(afModel.Requests);
        Assert.Contains(writerModel.Requests[0], m => m.Text.Contains("[researcher] Order 7 shipped.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Context_providers_cross_both_ways()
    {
        // Cadre → AF: a Cadre provider's context reaches the ChatClientAgent's model as instructions.
        var afModel = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        var af = new ChatClientAgent(afModel, new ChatClientAgentOptions
        {
            Name = "af",
            AIContextProviders = [new FixedContext("Customer prefers email.").AsAIContextProvider()],
        });
        await af.RunAsync("hello");
        Assert.Contains("Customer prefers email.", afModel.Options[0]?.Instructions ?? "", StringComparison.Ordinal);

        // AF → Cadre: an AF provider's instructions reach the Cadre agent's model as a system message, and it saw the thread.
        var model = new ScriptedChatClient([ScriptedReply.Say("ok")]);
        var seen = new List<string>();
        var cadre = new CadreAgent("helper", model, "Help.");
        var withContext = cadre.WithContext(new RecordingProvider("Tenant is acme.", seen).AsCadreContextProvider(cadre.AsAIAgent()));
        await withContext.RunAsync("hi there");
        Assert.Contains(model.Requests[0], m => m.Role == ChatRole.System && m.Text == "Tenant is acme.");
        Assert.Contains("hi there", seen);
    }

    private static async Task<IWorkspace> SqliteWorkspaceIn(TempDirectory dir) => await TestWorkspaces.OpenAsync("sqlite", dir);

    private sealed class FixedContext(string text) : IAgentContextProvider
    {
        public ValueTask<IReadOnlyList<ChatMessage>> ProvideAsync(AgentContextRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<ChatMessage>>([new ChatMessage(ChatRole.System, text)]);
    }

    private sealed class RecordingProvider(string instructions, List<string> seen) : AIContextProvider
    {
        protected override ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
        {
            seen.AddRange(context.AIContext.Messages?.Select(m => m.Text) ?? []);
            return ValueTask.FromResult(new AIContext { Instructions = instructions });
        }
    }
}
