using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;
using Cadre.Models;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
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

    /// <summary>All tools: those the host loaded and the spec's chains.</summary>
    public IReadOnlyList<AIFunction> Tools { get; }

    /// <summary>The spec's agents, built and ready to run.</summary>
    public IReadOnlyList<Agent> Agents { get; }

    /// <summary>The workflow the spec's agents run in.</summary>
    public Workflow Workflow { get; }

    /// <summary>The workspace memory the system was built with, if any.</summary>
    public WorkspaceMemory? Memory { get; private init; }

    /// <summary>The scope of the system's memory (<see cref="MemorySpec.Scope"/>).</summary>
    public MemoryScope MemoryScope => MemoryScope.Parse(Spec.Memory.Scope);

    /// <summary>Builds the spec's agents (models, granted tools, context windows, memory) and its workflow, ready to
    /// run; agents that name the same model share one client.</summary>
    /// <param name="spec">The loaded spec; relative model files are resolved against its folder unless
    /// <paramref name="options"/> give model options.</param>
    /// <param name="options">Model override, loaded tools, tool invoker.</param>
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
        var tools = WithChains(spec, options.Tools);
        var invoker = options.ToolInvoker ?? new GovernedToolInvoker();
        var jobStatus = invoker is GovernedToolInvoker governed ? governed.CreateJobStatusTool() : null;
        var agents = new List<Agent>();
        // Granting the discovery tool by name gives an agent a search over every tool of the system.
        var discovery = tools.Any(t => t.Name == ToolDiscovery.DefaultName) ? null : new ToolRegistry().AddRange(tools).CreateDiscoveryTool();
        foreach (var agentSpec in spec.Agents)
        {
            var granted = Grant(agentSpec, discovery is null ? tools : [.. tools, discovery]);
            var tokens = agentSpec.ContextTokens ?? spec.Memory.ContextTokens;
            var agent = new Agent(agentSpec.Name, ModelFor(agentSpec).Client, agentSpec.Instructions)
                .WithDescription(agentSpec.Description ?? "")
                .WithTools(granted)
                .WithContextWindow(new ContextWindow(tokens, counter, spec.Memory.Reducer switch
                {
                    "summarize" => new SummarizingReducer(ModelFor(agentSpec).Client, tokens, counter),
                    "relevance" => new RelevanceReducer(tokens, counter, options.Memory?.Embeddings),
                    _ => null,
                }))
                .WithToolInvoker(invoker);
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

            // An agent with long-running tools can ask about its jobs and sees their results when they are ready.
            if (jobStatus is not null && granted.Any(t => ToolDescriptor.Of(t).LongRunning) && granted.All(t => t.Name != jobStatus.Name))
            {
                agent = agent.WithTools(jobStatus).WithContext(((GovernedToolInvoker)invoker).CreateJobUpdates());
            }

            agents.Add(agent);
        }

        var workflow = BuildWorkflow(spec, agents, () => ModelFor(spec.Agents[0]).Client);
        return new AgentSystem(spec, models, ModelFor(spec.Agents[0]), tools, agents, workflow) { Memory = options.Memory };
    }

    /// <summary>Run options that carry the spec's limits and what a resume needs (spec path, model).</summary>
    /// <param name="options">Options to start from.</param>
    /// <param name="model">The model override given to the host, if any.</param>
    public RunOptions RunOptionsFor(RunOptions options, string? model)
    {
        ArgumentNullException.ThrowIfNull(options);
        var metadata = new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal) { ["spec"] = Spec.Path };
        if (model is not null)
        {
            // Stored without the credentials of a URL in it; a resumed run is given the model again (cadre resume --model).
            metadata["model"] = Security.SecretRedactor.RedactUrlCredentials(model);
        }

        return options with
        {
            MaxSteps = Spec.Workflow.MaxSteps ?? options.MaxSteps,
            Metadata = metadata,
            Budget = Merge(options.Budget, Spec.Workflow.Budget),
            Hooks = [.. options.Hooks, .. MemoryHooks()],
            CheckpointContributors = Memory is { } memory
                ? [.. options.CheckpointContributors, new BlackboardCheckpoint(memory.Stores.Blackboard, MemoryScope)]
                : options.CheckpointContributors,
        };
    }

    /// <summary>The run hooks the spec's memory settings ask for: handoffs on the blackboard, the memory writer, the
    /// knowledge extractor, the episode recorder. None without a workspace memory.</summary>
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

    /// <summary>The loaded tools plus the spec's chains, each bound to the tools its steps name.</summary>
    /// <exception cref="SpecException">A chain names a tool that is not there, or a name is taken.</exception>
    public static IReadOnlyList<AIFunction> WithChains(SystemSpec spec, IReadOnlyList<AIFunction> tools)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tools);
        var all = new List<AIFunction>(tools);
        foreach (var chain in spec.Chains)
        {
            if (all.Any(t => t.Name == chain.Chain.Name))
            {
                throw new SpecException(chain.Location, $"chain '{chain.Chain.Name}' has the name of a tool; give it another name.");
            }

            for (var i = 0; i < chain.Chain.Steps.Count; i++)
            {
                if (all.All(t => t.Name != chain.Chain.Steps[i].Tool))
                {
                    throw new SpecException(chain.StepTools[i].Location,
                        $"step '{chain.Chain.Steps[i].Name}' of chain '{chain.Chain.Name}' calls '{chain.Chain.Steps[i].Tool}', which is not a tool. Tools: {string.Join(", ", all.Select(t => t.Name))}.");
                }
            }

            all.Add(chain.Chain.Bind(all));
        }

        return all;
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

    // The host's caps win; the spec fills in what the host did not set.
    private static RunBudget? Merge(RunBudget? host, RunBudget? spec) => (host, spec) switch
    {
        (null, _) => spec,
        (_, null) => host,
        _ => host with
        {
            MaxTokens = host.MaxTokens ?? spec.MaxTokens,
            MaxCost = host.MaxCost ?? spec.MaxCost,
            MaxSteps = host.MaxSteps ?? spec.MaxSteps,
            MaxWallTime = host.MaxWallTime ?? spec.MaxWallTime,
            Price = host.Price ?? spec.Price,
        },
    };

    private static Workflow BuildWorkflow(SystemSpec spec, List<Agent> agents, Func<IChatClient> systemModel)
    {
        Agent Named(string name) => agents.First(a => a.Name == name);
        if (spec.Workflow.Type == "supervisor")
        {
            var supervisor = Named(spec.Workflow.Supervisor!.Value);
            var workers = spec.Workflow.Workers.Count == 0 ? agents.Where(a => a != supervisor).ToList() : spec.Workflow.Workers.Select(w => Named(w.Value)).ToList();
            var supervised = new SupervisorWorkflow(supervisor, workers) { AgentTimeout = spec.Workflow.AgentTimeout ?? TimeSpan.FromMinutes(5) };
            foreach (var worker in spec.Agents.Where(a => a.Capabilities.Count > 0 && workers.Any(w => w.Name == a.Name)))
            {
                supervised.Capable(worker.Name, worker.Capabilities.Select(c => c.Value).ToList());
            }

            return supervised;
        }

        if (spec.Workflow.Type == "group-chat")
        {
            var participants = spec.Workflow.Steps.Count == 0 ? agents : spec.Workflow.Steps.Select(s => Named(s.Value)).ToList();
            return new GroupChatWorkflow(participants, spec.Workflow.Speaker == "model" ? systemModel() : null) { MaxTurns = spec.Workflow.MaxTurns ?? 8 };
        }

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
