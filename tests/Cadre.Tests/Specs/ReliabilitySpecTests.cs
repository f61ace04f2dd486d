using Cadre.Specs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Workflows;

namespace Cadre.Tests.Specs;

/// <summary>Specs declare budgets, supervisor and group-chat workflows, and capabilities; mistakes are reported where
/// they were written.</summary>
public sealed class ReliabilitySpecTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SystemSpec Load(string workflow, string extraAgent = "")
    {
        _dir.Write("script.json", "[]");
        var file = _dir.Write("cadre.yaml", $"""
            model: scripted:script.json
            agents:
              lead: {"{"} instructions: Lead. {"}"}
              billing-a: {"{"} instructions: Bill., capabilities: [billing] {"}"}
              billing-b: {"{"} instructions: Bill., capabilities: [billing, refunds] {"}"}
            {extraAgent}
            workflow:
            {workflow}
            """);
        return SpecLoader.Load(file);
    }

    [Fact]
    public void Budgets_are_read_with_durations_and_prices()
    {
        var spec = Load("""
              type: handoff
              start: lead
              max_tokens: 20000
              max_cost: 0.25
              max_time: 90s
              price: { input: 0.15, output: 0.6 }
            """);

        var budget = spec.Workflow.Budget!;
        Assert.Equal((20000L, 0.25m, TimeSpan.FromSeconds(90)), (budget.MaxTokens, budget.MaxCost, budget.MaxWallTime));
        Assert.Equal(new TokenPrice(0.15m, 0.6m), budget.Price);
        Assert.Equal(["billing", "refunds"], spec.Agents[2].Capabilities.Select(c => c.Value));
    }

    [Fact]
    public void A_supervisor_workflow_is_built_with_its_workers_capabilities_and_timeout()
    {
        var spec = Load("""
              type: supervisor
              supervisor: lead
              agent_timeout: 2m
            """);

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec));

        var workflow = Assert.IsType<SupervisorWorkflow>(system.Workflow);
        Assert.Equal("lead", workflow.Supervisor.Name);
        Assert.Equal(["billing-a", "billing-b"], workflow.Workers.Select(w => w.Name));
        Assert.Equal(["billing", "refunds"], workflow.CapabilitiesOf("billing-b"));
        Assert.Equal(TimeSpan.FromMinutes(2), workflow.AgentTimeout);
    }

    [Fact]
    public void A_group_chat_can_let_the_model_pick_speakers()
    {
        var spec = Load("""
              type: group-chat
              steps: [billing-a, billing-b]
              speaker: model
              max_turns: 5
            """);

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec));

        var chat = Assert.IsType<GroupChatWorkflow>(system.Workflow);
        Assert.Equal(["billing-a", "billing-b"], chat.Agents.Select(a => a.Name));
        Assert.NotNull(chat.Selector);
        Assert.Equal(5, chat.MaxTurns);
    }

    [Fact]
    public void The_host_s_budget_wins_and_the_spec_fills_in_the_rest()
    {
        var spec = Load("""
              type: handoff
              start: lead
              max_tokens: 20000
              max_time: 5m
            """);
        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec));

        var budget = system.RunOptionsFor(new RunOptions { Budget = new RunBudget { MaxTokens = 500 } }, null).Budget!;

        Assert.Equal((500L, TimeSpan.FromMinutes(5)), (budget.MaxTokens, budget.MaxWallTime));
    }

    [Theory]
    [InlineData("type: supervisor", "a supervisor workflow needs 'supervisor: <agent>'")]
    [InlineData("type: supervisor\n  supervisor: boss", "workflow.supervisor names agent 'boss'")]
    [InlineData("type: supervisor\n  supervisor: lead\n  workers: [nobody]", "workflow.workers names agent 'nobody'")]
    [InlineData("type: group-chat\n  speaker: loudest", "workflow.speaker must be one of round-robin, model")]
    [InlineData("type: handoff\n  start: lead\n  max_cost: 1", "max_cost needs a token price")]
    [InlineData("type: handoff\n  start: lead\n  max_time: soon", "'max_time' must be a duration")]
    [InlineData("type: handoff\n  start: lead\n  price: { input: 1 }", "price needs 'output:'")]
    public void Mistakes_are_reported_with_their_place(string workflow, string message)
    {
        var error = Assert.Throws<SpecException>(() => Load("  " + workflow));

        Assert.Contains(message, error.Message);
        Assert.StartsWith(_dir.Combine("cadre.yaml") + ":", error.Message);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("250ms", 0.25)]
    [InlineData("12", 12)]
    public void Durations_are_read_in_people_s_units(string text, double seconds)
    {
        Assert.True(SpecDurations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void A_model_list_in_a_spec_becomes_a_fallback_chain()
    {
        _dir.Write("a.json", "[]");
        var spec = Load("  type: handoff\n  start: lead");
        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec, new AgentSystemOptions { Model = "scripted:script.json, scripted:a.json", ModelOptions = new Cadre.Models.ModelOptions { BaseDirectory = _dir.Path } }));

        Assert.Equal(["full", "reduced"], system.Model.Levels.Select(l => l.Name));
        Assert.NotNull(system.Model.Chain);
    }
}
