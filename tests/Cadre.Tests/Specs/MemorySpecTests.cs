using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Specs;
using Cadre.Testing;
using Cadre.Workflows;
using Cadre.Workspaces;

namespace Cadre.Tests.Specs;

/// <summary>The <c>memory:</c> section of a spec and agents' <c>memory:</c> keys.</summary>
public sealed class MemorySpecTests
{
    private const string File = "/specs/cadre.yaml";

    private static string Spec(string memory, string agentMemory = "") => $$"""
        name: desk
        model: scripted:none.json
        agents:
          triage: { instructions: Route., handoffs: [billing] }
          billing: { instructions: Bill.{{agentMemory}} }
        workflow: { type: handoff, start: triage }
        memory:
        {{memory}}
        """;

    [Fact]
    public void The_memory_section_reads_scope_share_reducer_writer_knowledge_episodes_and_lessons()
    {
        var spec = SpecLoader.Parse(Spec("""
              reducer: summarize
              scope: acme/support
              recall_share: 0.2
              write: model
              knowledge: model
              episodes: off
              lessons: model
            """, ", memory: [long-term, lessons]"), File);

        Assert.Equal(("summarize", "acme/support", 0.2, true, true, false, true),
            (spec.Memory.Reducer, spec.Memory.Scope, spec.Memory.RecallShare, spec.Memory.Write, spec.Memory.Knowledge, spec.Memory.Episodes, spec.Memory.Lessons));
        Assert.Equal(["long-term", "lessons"], spec.Agents[1].Memory.Select(m => m.Value));
        Assert.Empty(spec.Agents[0].Memory);
    }

    [Fact]
    public void Defaults_record_episodes_and_nothing_else()
    {
        var spec = SpecLoader.Parse(Spec("  context_tokens: 4000"), File);

        Assert.Equal(("sliding-window", "default", 0.15, false, false, true, false),
            (spec.Memory.Reducer, spec.Memory.Scope, spec.Memory.RecallShare, spec.Memory.Write, spec.Memory.Knowledge, spec.Memory.Episodes, spec.Memory.Lessons));
    }

    [Theory]
    [InlineData("  reducer: summarise", "memory.reducer must be one of sliding-window, summarize, relevance, not 'summarise'")]
    [InlineData("  scope: a/b/c/d", "memory.scope: 'a/b/c/d' is not a memory scope")]
    [InlineData("  recall_share: 2", "memory.recall_share must be a fraction above 0 and at most 0.9")]
    [InlineData("  write: yes", "memory.write must be one of model, off, not 'yes'")]
    [InlineData("  episodes: maybe", "memory.episodes must be one of on, off")]
    [InlineData("  recal_share: 0.1", "unknown key 'recal_share' in 'memory'. Did you mean 'recall_share'?")]
    [InlineData("  embeddings: arctic", "memory.embeddings must name an embedder like local:arctic-xs")]
    [InlineData("  embeddings: 'local:'", "memory.embeddings must name an embedder like local:arctic-xs")]
    public void A_bad_memory_setting_is_reported_with_its_place_and_what_to_write(string memory, string problem)
    {
        var error = Assert.Throws<SpecException>(() => SpecLoader.Parse(Spec(memory), File));

        Assert.Contains(problem, error.Message);
        Assert.StartsWith(File + ":", error.Message);
    }

    [Theory]
    [InlineData("  embeddings: local:minilm", "local:minilm")]
    [InlineData("  embeddings: hashing", "hashing")]
    [InlineData("  episodes: on", null)]
    public void The_memory_section_names_its_embedder_like_a_model_or_leaves_it_to_the_host(string memory, string? embeddings) =>
        Assert.Equal(embeddings, SpecLoader.Parse(Spec(memory), File).Memory.Embeddings);

    [Fact]
    public void An_unknown_agent_memory_kind_is_reported()
    {
        var error = Assert.Throws<SpecException>(() => SpecLoader.Parse(Spec("  scope: acme", ", memory: [longterm]"), File));

        Assert.Contains("agent 'billing' memory must be one of long-term, lessons, not 'longterm'", error.Message);
    }

    [Theory]
    [InlineData("summarize", typeof(SummarizingReducer))]
    [InlineData("relevance", typeof(RelevanceReducer))]
    [InlineData("sliding-window", typeof(SlidingWindowReducer))]
    public void Agents_get_the_reducer_the_spec_names(string reducer, Type type)
    {
        using var dir = new Support.TempDirectory();
        dir.Write("none.json", """{ "replies": [] }""");
        var spec = SpecLoader.Parse(Spec($"  reducer: {reducer}"), Path.Combine(dir.Path, "cadre.yaml"));

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec));

        Assert.All(system.Agents, a => Assert.IsType(type, a.Window.Reducer));
    }

    [Fact]
    public void With_a_workspace_memory_agents_recall_what_they_ask_for_and_runs_get_the_memory_hooks()
    {
        using var dir = new Support.TempDirectory();
        dir.Write("none.json", """{ "replies": [] }""");
        var spec = SpecLoader.Parse(Spec("""
              scope: acme
              write: model
              knowledge: model
              lessons: model
            """, ", memory: [long-term, lessons]"), Path.Combine(dir.Path, "cadre.yaml"));

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec, new AgentSystemOptions { Memory = WorkspaceMemory.InMemory() }));
        var options = system.RunOptionsFor(new RunOptions(), null);

        Assert.Empty(system.Agents[0].ContextProviders);
        Assert.Equal([typeof(MemoryContextProvider), typeof(LessonsContextProvider)], system.Agents[1].ContextProviders.Select(p => p.GetType()));
        Assert.Equal(new MemoryScope("acme"), ((MemoryContextProvider)system.Agents[1].ContextProviders[0]).Scope);
        Assert.Equal([typeof(BlackboardHandoffs), typeof(MemoryWriterHook), typeof(KnowledgeHook), typeof(EpisodeRecorder)], options.Hooks.Select(h => h.GetType()));
        Assert.Equal(new MemoryScope("acme"), system.MemoryScope);
    }

    [Fact]
    public void Without_a_workspace_memory_the_memory_settings_add_nothing()
    {
        using var dir = new Support.TempDirectory();
        dir.Write("none.json", """{ "replies": [] }""");
        var spec = SpecLoader.Parse(Spec("  write: model", ", memory: [long-term]"), Path.Combine(dir.Path, "cadre.yaml"));

        using var system = AgentSystem.Build(spec, TestingModels.AddTo(spec));

        Assert.Empty(system.Agents[1].ContextProviders);
        Assert.Empty(system.RunOptionsFor(new RunOptions(), null).Hooks);
    }
}
