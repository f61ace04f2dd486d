using Cadre.Specs;
using Cadre.Tests.Support;

namespace Cadre.Tests.Specs;

public sealed class SpecLoaderTests : IDisposable
{
    private const string Valid = """
        name: desk
        model: replay:answers.json
        tools: { assembly: bin/Tools.dll }
        agents:
          triage:
            instructions: Route the customer.
            tools: [crm]
            handoffs: [billing]
          billing:
            description: Billing specialist
            instructions: |
              Resolve billing problems.
            tools: [crm, send_email]
            max_tool_rounds: 4
            context_tokens: 2000
        workflow: { type: handoff, start: triage, max_steps: 9 }
        memory: { context_tokens: 8000, encoding: cl100k_base }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_valid_spec_loads_with_everything_it_declares()
    {
        var spec = SpecLoader.Parse(Valid, _dir.Combine("cadre.yaml"));

        Assert.Equal("desk", spec.Name);
        Assert.Equal("replay:answers.json", spec.Model?.Value);
        Assert.Equal("bin/Tools.dll", spec.Tools.Assembly?.Value);
        Assert.Equal(["triage", "billing"], spec.Agents.Select(a => a.Name));
        var billing = spec.Agents[1];
        Assert.Equal("Resolve billing problems.", billing.Instructions);
        Assert.Equal("Billing specialist", billing.Description);
        Assert.Equal(["crm", "send_email"], billing.Tools.Select(t => t.Value));
        Assert.Null(billing.Handoffs);
        Assert.Equal(["billing"], spec.Agents[0].Handoffs!.Select(h => h.Value));
        Assert.Equal((4, 2000), (billing.MaxToolRounds, billing.ContextTokens));
        Assert.Equal(("handoff", "triage", 9), (spec.Workflow.Type, spec.Workflow.Start?.Value, spec.Workflow.MaxSteps));
        Assert.Equal((8000, "cl100k_base", "sliding-window"), (spec.Memory.ContextTokens, spec.Memory.Encoding, spec.Memory.Reducer));
        Assert.Equal((13, 18), (spec.Agents[1].Tools[1].Location.Line, spec.Agents[1].Tools[1].Location.Column));
    }

    [Fact]
    public void A_folder_resolves_to_its_cadre_yaml_and_names_the_system_after_the_folder()
    {
        var folder = _dir.Combine("my-desk");
        _dir.Write("my-desk/cadre.yaml", "agents: { a: { instructions: x } }\nworkflow: { type: sequential }\n");
        var spec = SpecLoader.Load(folder);
        Assert.Equal("my-desk", spec.Name);
        Assert.Equal(Path.Combine(folder, "cadre.yaml"), spec.Path);
    }

    public static TheoryData<string, string> BrokenSpecs => new()
    {
        { "agents: [\n", "2:1: not valid YAML" },
        { "- just\n- a list\n", "1:1: a spec is a mapping with at least 'agents:' and 'workflow:'." },
        { "workflow: { type: handoff, start: a }\n", "1:1: the spec needs 'agents:' (for example agents: { <name>: { instructions: ... } })." },
        { "agents: { a: { instructions: x } }\n", "1:1: the spec needs 'workflow:' (for example workflow: { type: handoff, start: <agent> })." },
        { "agents: { a: { instructions: x } }\nworkflow: { type: sequential }\nmodle: x\n", "3:1: unknown key 'modle' in the spec. Did you mean 'model'? Known keys: name, model, tools, agents, workflow, memory, chains, workspace." },
        { "agents:\n  a:\n    instructons: x\nworkflow: { type: sequential }\n", "3:5: unknown key 'instructons' in agent 'a'. Did you mean 'instructions'?" },
        { "agents:\n  a:\n    tools: [x]\nworkflow: { type: sequential }\n", "3:5: agent 'a' needs 'instructions:' saying what it does." },
        { "agents:\n  a b: { instructions: x }\nworkflow: { type: sequential }\n", "2:3: agent name 'a b' may only contain letters, digits, '-' and '_'." },
        { "agents: {}\nworkflow: { type: sequential }\n", "1:9: 'agents' declares no agent" },
        { "agents: { a: { instructions: x } }\nworkflow: { type: round-robin }\n", "2:19: workflow.type must be one of handoff, sequential, supervisor, group-chat, not 'round-robin'." },
        { "agents: { a: { instructions: x } }\nworkflow: { start: a }\n", "2:11: the workflow needs 'type:' (handoff or sequential or supervisor or group-chat)." },
        { "agents: { a: { instructions: x } }\nworkflow: { type: handoff }\n", "2:11: a handoff workflow needs 'start: <agent>'. Agents: a." },
        { "agents: { a: { instructions: x } }\nworkflow: { type: handoff, start: b }\n", "2:35: workflow.start names agent 'b', which is not declared. Agents: a." },
        { "agents: { a: { instructions: x } }\nworkflow: { type: sequential, steps: [a, c] }\n", "2:42: workflow.steps names agent 'c', which is not declared. Agents: a." },
        { "agents:\n  a: { instructions: x, handoffs: [z] }\nworkflow: { type: sequential }\n", "2:36: agent 'a' hands off to names agent 'z', which is not declared." },
        { "agents:\n  a: { instructions: x, handoffs: [a] }\nworkflow: { type: sequential }\n", "2:36: agent 'a' cannot hand off to itself." },
        { "agents:\n  a: { instructions: x, max_tool_rounds: many }\nworkflow: { type: sequential }\n", "2:42: 'max_tool_rounds' must be a whole number of at least 1, not 'many'." },
        { "agents:\n  a: { instructions: x, context_tokens: 10 }\nworkflow: { type: sequential }\n", "2:41: 'context_tokens' must be a whole number of at least 256, not '10'." },
        { "agents:\n  a: { instructions: [x] }\nworkflow: { type: sequential }\n", "2:22: 'instructions' must be a single value, not a list." },
        { "agents:\n  a: { instructions: x, tools: { crm: yes } }\nworkflow: { type: sequential }\n", "2:32: agent 'a' tools must be a list, like [a, b]." },
        { "agents: { a: { instructions: x } }\nworkflow: { type: sequential }\nmemory: { reducer: forgetful }\n", "3:20: memory.reducer must be one of sliding-window, summarize, relevance, not 'forgetful'." },
        { "agents: { a: { instructions: x } }\nworkflow: { type: sequential }\ntools: { dll: x }\n", "3:10: unknown key 'dll' in 'tools'." },
        { "agents: a\nworkflow: { type: sequential }\n", "1:9: 'agents' must be a mapping (key: value lines)." },
    };

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public void A_broken_spec_gets_the_file_line_column_and_what_is_wrong(string yaml, string expected)
    {
        var file = _dir.Combine("cadre.yaml");
        var error = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, file));
        Assert.StartsWith($"{file}:{expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_spec_says_where_it_looked()
    {
        var error = Assert.Throws<SpecException>(() => SpecLoader.Load(_dir.Path));
        Assert.Equal($"{_dir.Path}: no spec in this folder (looked for cadre.yaml, cadre.yml, cadre.json).", error.Message);
        Assert.Equal($"{_dir.Combine("nope")}: no such spec file or folder.", Assert.Throws<SpecException>(() => SpecLoader.Load(_dir.Combine("nope"))).Message);
    }
}
