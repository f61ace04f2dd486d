using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;
using Cadre.Models;
using Cadre.Tools;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Specs;

/// <summary>
/// A system built from a <see cref="SystemSpec"/>: its models, agents (with their granted tools and context windows)
/// and workflow, ready to run.
/// </summary>
public sealed class AgentSystem : IDisposable
{
    private readonly Dictionary<string, ModelChain> _models;

    private AgentSystem(SystemSpec spec, Dictionary<string, ModelChain> models, ModelChain model, IReadOnlyList<AIFunction> tools, IReadOnlyList<Agent> agents, Workflow workflow)
    {
        Spec = spec;
        _models = models;
        Model = model;
        Tools = tools;
        Agents = agents;
        Workflow = workflow;
    }

    /// <summary>The spec it was built from.</summary>
    public SystemSpec Spec { get; }

    /// <summary>The system's main model chain (the one the first agent uses).</summary>
    public ModelChain Model { get; }

    /// <summary>All tools the host loaded.</summary>
    public IReadOnlyList<AIFunction> Tools { get; }

    /// <summary>The agents.</summary>
    public IReadOnlyList<Agent> Agents { get; }

    /// <summary>The workflow.</summary>
    public Workflow Workflow { get; }

    /// <summary>The workspace memory the system was built with, if any.</summary>
    public WorkspaceMemory? Memory { get; private init; }

    /// <summary>The scope of the system's memory (<see cref="MemorySpec.Scope"/>).</summary>
    public MemoryScope MemoryScope => MemoryScope.Parse(Spec.Memory.Scope);

    /// <summary>Builds a system.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="options">Model override, loaded tools, tool invoker.</param>
    /// <returns>The system.</returns>
    /// <exception cref="SpecException">The spec names a tool or category that is not there, or has no model.</exception>
    /// <exception cref="ModelSpecException">A model spec is malformed or cannot serve.</exception>
    public static AgentSystem Build(SystemSpec spec, AgentSystemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new AgentSystemOptions();
        var modelOptions = options.ModelOptions ?? new ModelOptions { BaseDirectory = spec.Directory };
        var models = new Dictionary<string, ModelChain>(StringComparer.Ordinal);
        ModelChain ModelFor(AgentSpec agent)
        {
            var text = options.Model ?? agent.Model?.Value ?? spec.Model?.Value
                ?? throw new SpecException(agent.Location, $"agent '{agent.Name}' has no model: add 'model:' to the spec or pass --model.");
            if (!models.TryGetValue(text, out var chain))
            {
                try
                {
                    chain = ModelChain.Parse(text, modelOptions);
                }
                catch (ModelSpecException ex) when (options.Model is null && (agent.Model ?? spec.Model) is { } written)
                {
                    throw new SpecException(written.Location, ex.Message, ex);
                }

                models[text] = chain;
            }

            return chain;
        }

        var counter = TokenCounter.ForEncoding(spec.Memory.Encoding);
        var agents = new List<Agent>();
        foreach (var agentSpec in spec.Agents)
        {
            var tokens = agentSpec.ContextTokens ?? spec.Memory.ContextTokens;
            var agent = new Agent(agentSpec.Name, ModelFor(agentSpec).Client, agentSpec.Instructions)
                .WithDescription(agentSpec.Description ?? "")
                .WithTools(Grant(agentSpec, options.Tools))
                .WithContextWindow(new ContextWindow(tokens, counter, spec.Memory.Reducer switch
                {
                    "summarize" => new SummarizingReducer(ModelFor(agentSpec).Client, tokens, counter),
                    "relevance" => new RelevanceReducer(tokens, counter, options.Memory?.Embeddings),
                    _ => null,
                }));
            if (options.Memory is { } memory)
            {
                var scoped = memory.For(MemoryScope.Parse(spec.Memory.Scope));
                foreach (var kind in agentSpec.Memory.Select(m => m.Value).Distinct(StringComparer.Ordinal))
                {
                    agent = kind == "lessons"
                        ? agent.WithLessons(scoped)
                        : agent.WithMemory(scoped, new MemoryContextOptions { Share = spec.Memory.RecallShare });
                }
            }

            if (agentSpec.MaxToolRounds is int rounds)
            {
                agent = agent.WithMaxToolRounds(rounds);
            }

            if (options.ToolInvoker is not null)
            {
                agent = agent.WithToolInvoker(options.ToolInvoker);
            }

            agents.Add(agent);
        }

        var workflow = BuildWorkflow(spec, agents);
        return new AgentSystem(spec, models, ModelFor(spec.Agents[0]), options.Tools, agents, workflow) { Memory = options.Memory };
    }

    /// <summary>Run options that carry the spec's limits and what a resume needs (spec path, model).</summary>
    /// <param name="options">Options to start from.</param>
    /// <param name="model">The model override given to the host, if any.</param>
    /// <returns>The options.</returns>
    public RunOptions RunOptionsFor(RunOptions options, string? model)
    {
        ArgumentNullException.ThrowIfNull(options);
        var metadata = new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal) { ["spec"] = Spec.Path };
        if (model is not null)
        {
            metadata["model"] = model;
        }

        return options with
        {
            MaxSteps = Spec.Workflow.MaxSteps ?? options.MaxSteps,
            Metadata = metadata,
            Hooks = [.. options.Hooks, .. MemoryHooks()],
        };
    }

    /// <summary>The run hooks the spec's memory settings ask for: handoffs on the blackboard, the memory writer, the
    /// knowledge extractor, the episode recorder. None without a workspace memory.</summary>
    /// <returns>The hooks.</returns>
    public IReadOnlyList<IRunHook> MemoryHooks()
    {
        if (Memory is not { } memory)
        {
            return [];
        }

        var scope = MemoryScope;
        var hooks = new List<IRunHook>();
        if (Workflow is HandoffWorkflow)
        {
            hooks.Add(new BlackboardHandoffs(memory.Blackboard(scope, BlackboardActor.Operator("cadre")), team: Spec.Name));
        }

        if (Spec.Memory.Write)
        {
            hooks.Add(new MemoryWriterHook(new MemoryWriter(Model.Client, memory.LongTerm), scope));
        }

        if (Spec.Memory.Knowledge)
        {
            hooks.Add(new KnowledgeHook(new KnowledgeExtractor(Model.Client, memory.Knowledge), scope));
        }

        if (Spec.Memory.Episodes)
        {
            hooks.Add(new EpisodeRecorder(memory.Episodes, scope, new EpisodeRecorderOptions { Model = Spec.Memory.Lessons ? Model.Client : null }));
        }

        return hooks;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var chain in _models.Values)
        {
            chain.Dispose();
        }
    }

    private static List<AIFunction> Grant(AgentSpec agent, IReadOnlyList<AIFunction> tools)
    {
        var granted = new List<AIFunction>();
        foreach (var entry in agent.Tools)
        {
            var matches = tools.Where(t => t.Name == entry.Value || Category(t) == entry.Value).ToList();
            if (matches.Count == 0)
            {
                var categories = tools.Select(Category).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                throw new SpecException(entry.Location,
                    $"agent '{agent.Name}' is granted '{entry.Value}', which is neither a tool nor a category. " +
                    $"Tools: {(tools.Count == 0 ? "none (does the spec name a tools assembly or project?)" : string.Join(", ", tools.Select(t => t.Name)))}" +
                    (categories.Count == 0 ? "." : $"; categories: {string.Join(", ", categories)}."));
            }

            granted.AddRange(matches.Where(m => !granted.Contains(m)));
        }

        return granted;
    }

    private static string? Category(AIFunction tool) =>
        tool.AdditionalProperties.TryGetValue(ToolNames.CategoryKey, out var category) ? category as string : null;

    private static Workflow BuildWorkflow(SystemSpec spec, List<Agent> agents)
    {
        Agent Named(string name) => agents.First(a => a.Name == name);
        if (spec.Workflow.Type == "sequential")
        {
            var steps = spec.Workflow.Steps.Count == 0 ? agents : spec.Workflow.Steps.Select(s => Named(s.Value)).ToList();
            return Workflow.Sequential(steps);
        }

        var start = Named(spec.Workflow.Start!.Value);
        var handoff = Workflow.Handoff(start, agents.Where(a => a != start).ToList());
        foreach (var agent in spec.Agents.Where(a => a.Handoffs is not null))
        {
            handoff.Route(agent.Name, agent.Handoffs!.Select(h => h.Value).ToList());
        }

        return handoff;
    }
}
