using System.Text.Json.Nodes;
using Cadre.Specs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Tools.Chains;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>Tool chains run tools in sequence with input mapping; a failed step stops the chain with the step, its
/// input and the error. Declared in C# or in a spec.</summary>
public sealed class ToolChainTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _calls = [];

    public void Dispose() => _dir.Dispose();

    private sealed record Invoice(string Id, string CustomerId, double Amount, IReadOnlyList<string> Charges);

    private sealed record Ticket(string Id, string CustomerId, string Subject, string Priority);

    private ToolRegistry Tools() => new ToolRegistry()
        .Add(AIFunctionFactory.Create((string invoiceId) =>
        {
            _calls.Add($"lookup {invoiceId}");
            return invoiceId == "INV-404" ? throw new ArgumentException($"There is no invoice '{invoiceId}'.") : new Invoice(invoiceId, "C-1001", 49, ["CH-1", "CH-2"]);
        }, "lookup_invoice"), t => t.Category("crm"))
        .Add(AIFunctionFactory.Create((string customerId, string subject, string priority, string[] refs) =>
        {
            _calls.Add($"ticket {customerId} {subject} {priority} {string.Join("+", refs)}");
            return new Ticket("T-1", customerId, subject, priority);
        }, "create_ticket"), t => t.SideEffects(SideEffects.Reversible))
        .Add(AIFunctionFactory.Create((string to, string body) => { _calls.Add($"email {to}: {body}"); return $"sent to {to}"; }, "send_email"), t => t.SideEffects(SideEffects.Irreversible));

    private static ToolChain Refund() => new ToolChain("refund_duplicate", "Open a refund ticket for an invoice charged twice and tell the customer.")
        .WithInput("invoiceId", "string", "The invoice id.")
        .WithInput("email")
        .Then("invoice", "lookup_invoice", new() { ["invoiceId"] = "$input.invoiceId" })
        .Then("ticket", "create_ticket", new()
        {
            ["customerId"] = "$invoice.customerId",
            ["subject"] = ChainValue.Literal("Refund duplicate charge"),
            ["priority"] = "high",
            ["refs"] = ChainValue.Array([ChainValue.Step("invoice", "charges[1]"), "$input.invoiceId"]),
        })
        .Then("mail", "send_email", new() { ["to"] = "$input.email", ["body"] = "$prev.id" });

    [Fact]
    public async Task Each_step_gets_its_arguments_from_the_input_earlier_results_and_literals()
    {
        var registry = Tools();
        var chain = Refund().Bind(registry);

        var result = await chain.InvokeAsync(new AIFunctionArguments { ["invoiceId"] = "INV-1001", ["email"] = "john@example.com" });

        Assert.Equal(["lookup INV-1001", "ticket C-1001 Refund duplicate charge high CH-2+INV-1001", "email john@example.com: T-1"], _calls);
        Assert.Equal("sent to john@example.com", result?.ToString());
        Assert.Equal(SideEffects.Irreversible, ToolDescriptor.Of(chain).SideEffects);
        Assert.Equal(["invoiceId", "email"], chain.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_failed_step_stops_the_chain_with_the_step_its_input_and_the_error()
    {
        await using var workspace = new InMemoryWorkspace();
        var registry = Tools();
        var chain = Refund().Bind(registry);
        var invoker = new GovernedToolInvoker();

        var record = await invoker.InvokeAsync(ToolCalls.Request("refund_duplicate", """{"invoiceId":"INV-404","email":"a@b.c"}""", [chain], ToolCalls.Run(workspace: workspace)), CancellationToken.None);

        Assert.Equal(ToolCallStatus.Failed, record.Status);
        Assert.Contains("step 1 'invoice' (lookup_invoice) failed with input {\"invoiceId\":\"INV-404\"}: Error: the arguments for 'lookup_invoice' do not fit its parameters: There is no invoice 'INV-404'.", record.Result);
        Assert.Equal(["lookup INV-404"], _calls);
        var chainResult = await Refund().RunAsync(JsonNode.Parse("""{"invoiceId":"INV-404"}"""), [.. Refund().Steps.Select(s => registry.Find(s.Tool)!)], invoker, ToolCalls.Request("refund_duplicate", "{}", []), CancellationToken.None);
        Assert.False(chainResult.Succeeded);
        Assert.Equal((1, "invoice", ToolCallStatus.InvalidArguments), (chainResult.Failed!.Index, chainResult.Failed.Name, chainResult.Failed.Status));
    }

    [Fact]
    public async Task A_path_that_is_not_in_a_result_stops_the_chain_and_says_what_is_there()
    {
        var chain = new ToolChain("c", "x").Then("invoice", "lookup_invoice", new() { ["invoiceId"] = "$input.id" })
            .Then("mail", "send_email", new() { ["to"] = "$invoice.email", ["body"] = "hi" }).Bind(Tools());

        var record = await new GovernedToolInvoker().InvokeAsync(ToolCalls.Request("c", """{"id":"INV-1"}""", [chain]), CancellationToken.None);

        Assert.Equal(ToolCallStatus.Failed, record.Status);
        Assert.Contains("step 2 'mail' (send_email) failed with input {}: Error: the result of step 'invoice' has no 'email' (its fields are id, customerId, amount, charges).", record.Result);
    }

    [Fact]
    public async Task Steps_are_governed_calls_with_their_own_idempotency_keys_so_a_resumed_chain_does_not_repeat_them()
    {
        await using var workspace = new InMemoryWorkspace();
        var chain = Refund().Bind(Tools());
        var context = ToolCalls.Run("billing", "run-5", 2, workspace);
        var invoker = new GovernedToolInvoker();

        await invoker.InvokeAsync(ToolCalls.Request("refund_duplicate", """{"invoiceId":"INV-1","email":"a@b.c"}""", [chain], context, 3), CancellationToken.None);
        await invoker.InvokeAsync(ToolCalls.Request("refund_duplicate", """{"invoiceId":"INV-1","email":"a@b.c"}""", [chain], context, 3), CancellationToken.None);

        Assert.Equal(3, _calls.Count);
        var keys = (await workspace.Audit.QueryAsync(new AuditQuery { RunId = "run-5" })).Select(e => (e.Tool, e.Key)).ToList();
        Assert.Equal(("lookup_invoice", "run-5/2/3/refund_duplicate/1"), keys[0]);
        Assert.Equal(("create_ticket", "run-5/2/3/refund_duplicate/2"), keys[1]);
        Assert.Equal(("send_email", "run-5/2/3/refund_duplicate/3"), keys[2]);
        Assert.Equal(("refund_duplicate", "run-5/2/3"), keys[3]);
        Assert.Equal(ToolCallStatus.Replayed, (await workspace.Audit.QueryAsync(new AuditQuery { RunId = "run-5" }))[^1].Status);
    }

    [Fact]
    public void A_chain_refuses_references_to_steps_that_do_not_come_before_and_tools_that_do_not_exist()
    {
        Assert.Contains("refers to step 'ticket', which does not come before it. Earlier steps: none",
            Assert.Throws<ArgumentException>(() => new ToolChain("c", "x").Then("a", "lookup_invoice", new() { ["invoiceId"] = "$ticket.id" })).Message);
        Assert.Contains("a step is already named 'a'",
            Assert.Throws<ArgumentException>(() => new ToolChain("c", "x").Then("a", "t").Then("a", "t")).Message);
        Assert.Contains("there is no tool 'refund'",
            Assert.Throws<ArgumentException>(() => new ToolChain("c", "x").Then("a", "refund").Bind(Tools())).Message);
        Assert.Throws<FormatException>(() => ChainValue.Parse("$"));
    }

    [Fact]
    public async Task A_spec_declares_chains_in_yaml_that_agents_are_granted_by_name()
    {
        var file = _dir.Write("cadre.yaml", """
            model: scripted:script.json
            chains:
              refund_duplicate:
                description: Open a refund ticket for an invoice charged twice.
                category: billing
                input: { invoiceId: "string: The invoice id.", email: string }
                steps:
                  - name: invoice
                    tool: lookup_invoice
                    args: { invoiceId: $input.invoiceId }
                  - name: ticket
                    tool: create_ticket
                    args:
                      customerId: $invoice.customerId
                      subject: 'Refund duplicate charge'
                      priority: high
                      refs: [ "$invoice.charges[0]", "$$5 off" ]
                  - tool: send_email
                    args: { to: $input.email, body: $prev.id }
            agents:
              billing: { instructions: Resolve billing problems., tools: [refund_duplicate] }
            workflow: { type: sequential }
            """);
        var spec = SpecLoader.Load(file);
        var tools = AgentSystem.WithChains(spec, Tools().Tools);
        var chain = tools.Single(t => t.Name == "refund_duplicate");

        await chain.InvokeAsync(new AIFunctionArguments { ["invoiceId"] = "INV-7", ["email"] = "a@b.c" });

        Assert.Equal("billing", ToolDescriptor.Of(chain).Category);
        Assert.Equal(["invoice", "ticket", "step3"], spec.Chains.Single().Chain.Steps.Select(s => s.Name));
        Assert.Equal(["lookup INV-7", "ticket C-1001 Refund duplicate charge high CH-1+$5 off", "email a@b.c: T-1"], _calls);
        Assert.Equal("The invoice id.", spec.Chains.Single().Chain.Inputs[0].Description);
    }

    [Theory]
    [InlineData("chains: { c: { steps: [ { tool: lookup_invoice, args: { invoiceId: $later.id } } ] } }", "cadre.yaml:4:25: Chain 'c', step 'step1': argument 'invoiceId' refers to step 'later'")]
    [InlineData("chains: { c: { steps: [ { tool: refund } ] } }", "cadre.yaml:4:33: step 'step1' of chain 'c' calls 'refund', which is not a tool.")]
    [InlineData("chains: { c: { description: x } }", "cadre.yaml:4:14: chain 'c' needs 'steps:'")]
    [InlineData("chains: { c: { steps: [ { tool: x, argz: {} } ] } }", "cadre.yaml:4:36: unknown key 'argz' in step 1 of chain 'c'.")]
    [InlineData("chains: { lookup_invoice: { steps: [ { tool: lookup_invoice } ] } }", "cadre.yaml:4:11: chain 'lookup_invoice' has the name of a tool")]
    public void A_malformed_chain_in_a_spec_is_reported_with_file_line_and_column(string chains, string message)
    {
        var file = _dir.Write("cadre.yaml", $"""
            model: scripted:script.json
            agents: {"{"} a: {"{"} instructions: x {"}"} {"}"}
            workflow: {"{"} type: sequential {"}"}
            {chains}
            """);

        var error = Assert.Throws<SpecException>(() => AgentSystem.WithChains(SpecLoader.Load(file), Tools().Tools));

        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task A_spec_agent_granted_find_tools_discovers_the_systems_other_tools()
    {
        _dir.Write("script.json", """
            { "replies": [
              { "toolCalls": [ { "name": "find_tools", "arguments": { "query": "invoice" } } ] },
              { "toolCalls": [ { "name": "lookup_invoice", "arguments": { "invoiceId": "INV-9" } } ] },
              { "text": "found it" } ] }
            """);
        var file = _dir.Write("cadre.yaml", """
            model: scripted:script.json
            agents:
              billing: { instructions: Help., tools: [find_tools] }
            workflow: { type: sequential }
            """);
        var spec = SpecLoader.Load(file);
        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec, new AgentSystemOptions { Tools = Tools().Tools }));
        await using var workspace = new InMemoryWorkspace();

        var run = await system.Workflow.RunAsync("find INV-9", workspace);

        Assert.Equal(["find_tools"], system.Agents[0].Tools.Select(t => t.Name));
        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.Succeeded], run.Steps[0].ToolCalls.Select(c => c.Status));
        Assert.Equal(["lookup INV-9"], _calls);
    }
}
