using Cadre.Specs;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Specs;

public sealed class AgentSystemTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly AIFunction Search = Tool("search_customer", "crm");
    private static readonly AIFunction Lookup = Tool("lookup_invoice", "crm");
    private static readonly AIFunction Email = Tool("send_email", "email");

    private static AIFunction Tool(string name, string category) => AIFunctionFactory.Create(() => name, new AIFunctionFactoryOptions
    {
        Name = name,
        AdditionalProperties = new Dictionary<string, object?> { [ToolNames.CategoryKey] = category },
    });

    private SystemSpec Spec(string yaml)
    {
        _dir.Write("s.json", """{ "replies": [ { "text": "ok" } ] }""");
        return SpecLoader.Parse(yaml, _dir.Combine("cadre.yaml"));
    }

    [Fact]
    public void Agents_get_the_tools_named_by_name_or_category_and_the_workflow_its_routes()
    {
        var spec = Spec("""
            model: scripted:s.json
            agents:
              triage: { instructions: route, tools: [search_customer], handoffs: [billing] }
              billing: { instructions: bill, tools: [crm, send_email, crm], max_tool_rounds: 3, context_tokens: 1000 }
            workflow: { type: handoff, start: triage }
            """);

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec, new AgentSystemOptions { Tools = [Search, Lookup, Email] }));

        Assert.Equal(["search_customer"], system.Agents[0].Tools.Select(t => t.Name));
        Assert.Equal(["search_customer", "lookup_invoice", "send_email"], system.Agents[1].Tools.Select(t => t.Name));
        Assert.Equal(3, system.Agents[1].MaxToolRounds);
        Assert.Equal(1000, system.Agents[1].Window.MaxTokens);
        var workflow = Assert.IsType<HandoffWorkflow>(system.Workflow);
        Assert.Equal("triage", workflow.Start.Name);
    }

    [Fact]
    public void A_grant_that_matches_no_tool_or_category_points_at_its_line()
    {
        var spec = Spec("""
            model: scripted:s.json
            agents:
              billing:
                instructions: bill
                tools: [crm, refunds]
            workflow: { type: sequential }
            """);

        var error = Assert.Throws<SpecException>(() => AgentSystem.Build(spec, TestingModels.AddTo(spec, new AgentSystemOptions { Tools = [Search, Email] })));

        Assert.Equal($"{_dir.Combine("cadre.yaml")}:5:18: agent 'billing' is granted 'refunds', which is neither a tool nor a category. Tools: search_customer, send_email, find_tools; categories: crm, email.", error.Message);
    }

    [Fact]
    public void An_agent_without_a_model_or_with_a_broken_one_is_a_spec_error()
    {
        var noModel = Spec("agents: { a: { instructions: x } }\nworkflow: { type: sequential }\n");
        Assert.Equal($"{_dir.Combine("cadre.yaml")}:1:11: agent 'a' has no model: add 'model:' to the spec or pass --model.",
            Assert.Throws<SpecException>(() => AgentSystem.Build(noModel, TestingModels.AddTo(noModel))).Message);

        var broken = Spec("model: replay:missing.json\nagents: { a: { instructions: x } }\nworkflow: { type: sequential }\n");
        var error = Assert.Throws<SpecException>(() => AgentSystem.Build(broken, TestingModels.AddTo(broken)));
        Assert.StartsWith($"{_dir.Combine("cadre.yaml")}:1:8: replay:missing.json: the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_override_replaces_every_agents_model()
    {
        var spec = Spec("""
            model: openai:gpt-4o
            agents:
              a: { instructions: x, model: "ollama:llama3.1" }
              b: { instructions: y }
            workflow: { type: sequential, steps: [b, a] }
            """);

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec, new AgentSystemOptions { Model = "scripted:" + _dir.Combine("s.json") }));

        Assert.Equal("scripted", system.Model.Serving.Spec.Provider);
        Assert.Equal(["b", "a"], system.Workflow.Agents.Select(a => a.Name));
        var options = system.RunOptionsFor(new RunOptions(), "scripted:x");
        Assert.Equal(("scripted:x", spec.Path), (options.Metadata["model"], options.Metadata["spec"]));
    }

    [Fact]
    public void The_sample_tools_load_from_their_assembly_with_categories_and_side_effects()
    {
        var assembly = typeof(SupportDesk.SupportTools).Assembly.Location;

        var tools = ToolAssembly.Load(assembly, new ToolEnvironment(_dir.Path, _dir.Path));

        Assert.Equal(["search_customer", "lookup_invoice", "create_ticket", "send_email"], tools.Select(t => t.Name));
        Assert.Equal(SideEffects.Irreversible, ToolNames.SideEffectsOf(tools[3]));
        Assert.Equal(SideEffects.None, ToolNames.SideEffectsOf(tools[0]));
        Assert.Equal("crm", tools[1].AdditionalProperties[ToolNames.CategoryKey]);
        Assert.Contains("invoiceId", tools[1].JsonSchema.GetRawText(), StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => ToolAssembly.Load(_dir.Combine("none.dll"), new ToolEnvironment(_dir.Path, _dir.Path)));
        var notAssembly = _dir.Write("fake.dll", "not a PE file");
        Assert.Throws<ToolLoadException>(() => ToolAssembly.Load(notAssembly, new ToolEnvironment(_dir.Path, _dir.Path)));
    }

    [Fact]
    public async Task A_tool_assembly_is_loaded_once_while_unchanged_and_each_load_makes_its_own_tool_instances()
    {
        var assembly = _dir.Combine("tools", "SupportDesk.dll");
        Directory.CreateDirectory(_dir.Combine("tools"));
        File.Copy(typeof(SupportDesk.SupportTools).Assembly.Location, assembly);

        var first = ToolAssembly.Load(assembly, new ToolEnvironment(_dir.Path, _dir.Combine("a")));
        var second = ToolAssembly.Load(assembly, new ToolEnvironment(_dir.Path, _dir.Combine("b")));

        // One load of the file (a host running many runs does not load it again per run) ...
        Assert.Same(first[3].UnderlyingMethod!.DeclaringType!.Assembly, second[3].UnderlyingMethod!.DeclaringType!.Assembly);
        // ... and each load its own tool classes: each run's tools work in their own workspace folder.
        foreach (var (tools, subject) in new[] { (first, "from a"), (second, "from b") })
        {
            await tools[3].InvokeAsync(new AIFunctionArguments { ["to"] = new[] { "john@example.com" }, ["subject"] = subject, ["body"] = "x" });
        }

        Assert.Single(Directory.GetFiles(_dir.Combine("a", "support-desk", "outbox"), "*.eml"));
        Assert.Single(Directory.GetFiles(_dir.Combine("b", "support-desk", "outbox"), "*.eml"));

        // A rebuilt file is loaded anew.
        File.SetLastWriteTimeUtc(assembly, File.GetLastWriteTimeUtc(assembly).AddMinutes(1));
        var rebuilt = ToolAssembly.Load(assembly, new ToolEnvironment(_dir.Path, _dir.Combine("c")));
        Assert.NotSame(first[3].UnderlyingMethod!.DeclaringType!.Assembly, rebuilt[3].UnderlyingMethod!.DeclaringType!.Assembly);
    }

    [Theory]
    [InlineData("SearchCustomer", "search_customer")]
    [InlineData("SendEmailAsync", "send_email")]
    [InlineData("GetHTTPStatus", "get_http_status")]
    [InlineData("lookup", "lookup")]
    public void Method_names_become_snake_case_tool_names(string method, string tool) => Assert.Equal(tool, ToolNames.FromMethod(method));
}
