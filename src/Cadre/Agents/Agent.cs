using System.Diagnostics;
using System.Text.Json;
using Cadre.Conversations;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>
/// An agent: a name, instructions, a model (<see cref="IChatClient"/>), the tools it is granted and the context it
/// recalls. One turn builds the context (instructions, provided context, the thread fitted into the context
/// window), calls the model, carries out the tool calls it asks for through the <see cref="IToolInvoker"/>, and
/// repeats until the model answers, hands off, or reaches <see cref="MaxToolRounds"/>.
/// </summary>
/// <remarks>Agents are immutable: the <c>With...</c> methods return a changed copy, so one definition can be shared
/// by many runs at once.</remarks>
public sealed class Agent
{
    /// <summary>The name of the tool through which an agent hands the thread to another agent.</summary>
    public const string HandoffToolName = "handoff";

    private static readonly IToolInvoker DefaultInvoker = new GovernedToolInvoker();
    private static readonly AgentTurnOptions NoOptions = new();
    private readonly IChatClient _client;
    private readonly ModelTelemetry? _telemetry;
    private readonly ChatClientMetadata? _metadata;

    // One instance for every turn: its token count is cached by the counter, so the instructions are counted once.
    private readonly ChatMessage? _instructions;

    /// <summary>Creates an agent with no tools, the default governed tool path, a default context window, no context
    /// providers and at most 10 rounds of tool calls per turn; the <c>With...</c> methods change these.</summary>
    /// <param name="name">A short unique name (letters, digits, <c>-</c> and <c>_</c>).</param>
    /// <param name="model">The model it talks to.</param>
    /// <param name="instructions">What it is for and how it should work (its system prompt); empty sends no system
    /// prompt.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or has other characters.</exception>
    public Agent(string name, IChatClient model, string instructions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(instructions);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Agent name '{name}' may only contain letters, digits, '-' and '_'.", nameof(name));
        }

        Name = name;
        Model = model;
        Instructions = instructions;
        _instructions = instructions.Length > 0 ? new ChatMessage(ChatRole.System, instructions) : null;
        _metadata = model.GetService<ChatClientMetadata>();
        // Model calls are traced by the GenAI conventions once: a model the caller already instrumented is used as
        // it is, so its spans and gen_ai.client.* metrics are not doubled.
        _telemetry = model.GetService<OpenTelemetryChatClient>() is null ? ModelTelemetry.For(model) : null;
        _client = _telemetry?.Client ?? model;
    }

    private Agent(Agent other)
    {
        Name = other.Name;
        Model = other.Model;
        Instructions = other.Instructions;
        Description = other.Description;
        Tools = other.Tools;
        ToolInvoker = other.ToolInvoker;
        Window = other.Window;
        ContextProviders = other.ContextProviders;
        MaxToolRounds = other.MaxToolRounds;
        ChatOptions = other.ChatOptions;
        _client = other._client;
        _telemetry = other._telemetry;
        _metadata = other._metadata;
        _instructions = other._instructions;
    }

    /// <summary>The name it goes by: the author of its messages, the agent its tool calls are audited under, and the
    /// name other agents hand off to.</summary>
    public string Name { get; }

    /// <summary>The chat model the agent's turns call.</summary>
    public IChatClient Model { get; }

    /// <summary>The instructions (system prompt).</summary>
    public string Instructions { get; }

    /// <summary>What the agent handles, shown to other agents that may hand off to it; its instructions when not set.</summary>
    public string Description { get; private init; } = "";

    /// <summary>The tools the agent is granted.</summary>
    public IReadOnlyList<AIFunction> Tools { get; private init; } = [];

    /// <summary>How the agent's tool calls are carried out: by default the governed path
    /// (<see cref="GovernedToolInvoker"/> with default options: the agent may call the tools it is given, side effects
    /// happen once per idempotency key, calls are audited in the run's workspace, and tools that require approval are
    /// denied because no approver is configured).</summary>
    public IToolInvoker ToolInvoker { get; private init; } = DefaultInvoker;

    /// <summary>How the context sent to the model is kept within a token budget.</summary>
    public ContextWindow Window { get; private init; } = new();

    /// <summary>What adds context (memories, lessons) before each model call.</summary>
    public IReadOnlyList<IAgentContextProvider> ContextProviders { get; private init; } = [];

    /// <summary>How many rounds of tool calls one turn may make before the model must answer (default 10).</summary>
    public int MaxToolRounds { get; private init; } = 10;

    /// <summary>Chat options for every model call (temperature, max output tokens, ...).</summary>
    public ChatOptions? ChatOptions { get; private init; }

    /// <summary>Returns a copy that says what the agent handles.</summary>
    /// <param name="description">What it handles, in a phrase other agents' models can choose by; null or empty makes
    /// workflows show its instructions instead.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Agent WithDescription(string description) => new(this) { Description = description ?? "" };

    /// <summary>Returns a copy granted these tools as well.</summary>
    /// <param name="tools">Tools added after those it already has.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    /// <exception cref="ArgumentException">Two of its tools would have the same name.</exception>
    public Agent WithTools(params IEnumerable<AIFunction> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var all = Tools.Concat(tools).ToList();
        var duplicate = all.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Agent '{Name}' was given two tools named '{duplicate.Key}'.", nameof(tools));
        }

        return new(this) { Tools = all };
    }

    /// <summary>Returns a copy granted these tools of a registry as well.</summary>
    /// <param name="registry">Where <paramref name="namesOrCategories"/> are looked up.</param>
    /// <param name="namesOrCategories">Tool names, categories, or <c>*</c>.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    /// <exception cref="ArgumentException">An entry names neither a tool nor a category of the registry.</exception>
    public Agent WithTools(ToolRegistry registry, params IEnumerable<string> namesOrCategories)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return WithTools(registry.Select(namesOrCategories));
    }

    /// <summary>Returns a copy whose tool calls go through <paramref name="invoker"/>.</summary>
    /// <param name="invoker">Carries out every tool call of its turns in place of the default governed path (for
    /// instance a <see cref="GovernedToolInvoker"/> with an approver and limits).</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Agent WithToolInvoker(IToolInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        return new(this) { ToolInvoker = invoker };
    }

    /// <summary>Returns a copy that fits its context into <paramref name="window"/>.</summary>
    /// <param name="window">The token budget and how the thread is cut to fit it; its size and counter also set the
    /// budget of memory and lessons added afterwards (<c>WithMemory</c>, <c>WithLessons</c>).</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Agent WithContextWindow(ContextWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new(this) { Window = window };
    }

    /// <summary>Returns a copy that also adds the context of <paramref name="provider"/> before model calls.</summary>
    /// <param name="provider">Asked before every model call; its messages follow the instructions and those of the
    /// providers added before it.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Agent WithContext(IAgentContextProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new(this) { ContextProviders = [.. ContextProviders, provider] };
    }

    /// <summary>Returns a copy that may make at most <paramref name="rounds"/> rounds of tool calls per turn.</summary>
    /// <param name="rounds">The limit (at least 1).</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Agent WithMaxToolRounds(int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        return new(this) { MaxToolRounds = rounds };
    }

    /// <summary>Returns a copy that sends these chat options with every model call.</summary>
    /// <param name="options">Replaces the options set before; read (not copied) at each turn. Its tools are ignored:
    /// the agent offers its own. A workflow's turn options win where they set a value.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public Agent WithChatOptions(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(this) { ChatOptions = options };
    }

    /// <summary>Runs one turn on a new thread that holds only <paramref name="input"/>.</summary>
    /// <param name="input">The text of the one user message the thread starts with.</param>
    /// <param name="cancellationToken">Cancels the turn; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>What the turn produced.</returns>
    public Task<AgentResponse> RunAsync(string input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return RunAsync([new ChatMessage(ChatRole.User, input)], null, cancellationToken);
    }

    /// <summary>Runs one turn on a thread.</summary>
    /// <param name="thread">The thread so far (the task, what other agents said); not changed.</param>
    /// <param name="options">The turn's context, handoff targets and notes.</param>
    /// <param name="cancellationToken">Cancels the turn; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>What the turn produced: append its <see cref="AgentResponse.Messages"/> to the thread.</returns>
    public async Task<AgentResponse> RunAsync(IReadOnlyList<ChatMessage> thread, AgentTurnOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thread);
        options ??= NoOptions;
        var context = options.Context is { } given ? (given.Agent == Name ? given : given with { Agent = Name }) : new AgentContext { Agent = Name };
        // The turn's context flows to everything it calls. What an async method sets in the ambient context ends with
        // the method, so the caller gets its own back without a second write.
        CallerContext.Use(context);
        using var activity = CadreTelemetry.ActivitySource.HasListeners() ? StartTurnActivity(context) : null;

        var started = context.Time.GetTimestamp();
        var produced = new List<ChatMessage>();
        var calls = new List<ToolCallRecord>();
        var usage = TokenUsage.Zero;
        ServedLevel? level = null;
        Handoff? handoff = null;
        var handoffTool = options.HandoffTargets.Count > 0 ? CreateHandoffTool(options.HandoffTargets) : null;
        var tools = new TurnTools(Tools, handoffTool);
        // The thread does not change during the turn: whether this agent sees it as it is is decided once.
        var threadAsIs = ConversationView.ShowsAsItIs(Name, thread);

        // The options of a model call serve the next ones too (as FunctionInvokingChatClient's do), until the tools
        // offered change or the last round offers none.
        ChatOptions? chatOptions = null;
        var builtFor = 0;
        for (var round = 0; ; round++)
        {
            var lastRound = round >= MaxToolRounds;
            if (lastRound || chatOptions is null || tools.Offers != builtFor)
            {
                builtFor = tools.Offers;
                chatOptions = BuildChatOptions(options.ChatOptions, lastRound ? null : tools.ForModel());
            }

            var request = await BuildRequestAsync(context, thread, threadAsIs, produced, options.Notes, lastRound, cancellationToken);
            // A call no one observes skips the OpenTelemetry client: its span and metrics would go nowhere.
            var client = _telemetry is { Observed: false } ? Model : _client;
            var response = await client.GetResponseAsync(request, chatOptions, cancellationToken);
            // Token use is counted once, by the model's OpenTelemetry client (gen_ai.client.token.usage).
            usage += TokenUsage.From(response.Usage);
            level = ServedLevel.Worse(level, ServedLevel.Of(response));

            var replies = response.Messages;
            for (var i = 0; i < replies.Count; i++)
            {
                replies[i].AuthorName = Name;
                produced.Add(replies[i]);
            }

            if (FunctionCalls(replies) is not { } requested)
            {
                break;
            }

            // The calls of one reply run concurrently (exclusive tools wait for each other in the invoker); each call's
            // index is its position among the reply's tool calls, so idempotency keys do not depend on timing. A
            // discovery tool's offers reach the calls of the next round.
            var results = new AIContent[requested.Count];
            var functions = tools.Callable;
            ToolCallRecord? single = null;
            List<Task<ToolCallRecord>>? pending = null;
            for (var i = 0; i < requested.Count; i++)
            {
                var call = requested[i];
                if (handoffTool is not null && call.Name == HandoffToolName)
                {
                    var (decision, text) = ReadHandoff(call, options.HandoffTargets);
                    handoff ??= decision;
                    results[i] = new FunctionResultContent(call.CallId, text);
                    continue;
                }

                var index = calls.Count + (pending?.Count ?? 0);
                if (requested.Count == 1)
                {
                    single = await InvokeToolAsync(context, call, functions, index, tools.Offer, cancellationToken);
                }
                else
                {
                    (pending ??= new(requested.Count)).Add(InvokeConcurrently(context, call, functions, index, tools.Offer, cancellationToken));
                }
            }

            if (single is not null)
            {
                calls.Add(single);
                results[0] = new FunctionResultContent(requested[0].CallId, single.Result);
            }
            else if (pending is not null)
            {
                var records = await Task.WhenAll(pending);
                calls.AddRange(records);
                for (int i = 0, next = 0; i < requested.Count; i++)
                {
                    results[i] ??= new FunctionResultContent(requested[i].CallId, records[next++].Result);
                }
            }

            produced.Add(new ChatMessage(ChatRole.Tool, results) { AuthorName = Name });
            if (handoff is not null || lastRound)
            {
                break;
            }
        }

        if (CadreTelemetry.AgentTurns.Enabled)
        {
            CadreTelemetry.AgentTurns.Add(1, new KeyValuePair<string, object?>("cadre.agent", Name));
        }

        activity?.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
        activity?.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
        return new AgentResponse(Name, produced, calls, usage, context.Time.GetElapsedTime(started), handoff) { Level = level };
    }

    private ChatOptions BuildChatOptions(ChatOptions? turnOptions, List<AITool>? tools)
    {
        var options = ChatOptions?.Clone() ?? new ChatOptions();
        if (turnOptions is not null)
        {
            // The turn's options (a workflow's response schema, say) win where they say something; the agent's own
            // options stand for everything else.
            options.Temperature = turnOptions.Temperature ?? options.Temperature;
            options.MaxOutputTokens = turnOptions.MaxOutputTokens ?? options.MaxOutputTokens;
            options.TopP = turnOptions.TopP ?? options.TopP;
            options.TopK = turnOptions.TopK ?? options.TopK;
            options.FrequencyPenalty = turnOptions.FrequencyPenalty ?? options.FrequencyPenalty;
            options.PresencePenalty = turnOptions.PresencePenalty ?? options.PresencePenalty;
            options.Seed = turnOptions.Seed ?? options.Seed;
            options.ModelId = turnOptions.ModelId ?? options.ModelId;
            options.ResponseFormat = turnOptions.ResponseFormat ?? options.ResponseFormat;
            options.StopSequences = turnOptions.StopSequences ?? options.StopSequences;
            options.ToolMode = turnOptions.ToolMode ?? options.ToolMode;
            options.AllowMultipleToolCalls = turnOptions.AllowMultipleToolCalls ?? options.AllowMultipleToolCalls;
            options.Instructions = turnOptions.Instructions ?? options.Instructions;
            options.ConversationId = turnOptions.ConversationId ?? options.ConversationId;
            options.RawRepresentationFactory = turnOptions.RawRepresentationFactory ?? options.RawRepresentationFactory;
            if (turnOptions.AdditionalProperties is { Count: > 0 } extra)
            {
                options.AdditionalProperties ??= [];
                foreach (var (key, value) in extra)
                {
                    options.AdditionalProperties[key] = value;
                }
            }
        }

        // The list is the call's own (a client may change it), so the agent's tools are never changed through it.
        var offered = tools is { Count: > 0 };
        options.Tools = offered ? tools : null;
        options.ToolMode = offered ? options.ToolMode : null;
        return options;
    }

    private async ValueTask<IReadOnlyList<ChatMessage>> BuildRequestAsync(
        AgentContext context,
        IReadOnlyList<ChatMessage> thread,
        bool threadAsIs,
        List<ChatMessage> produced,
        IReadOnlyList<string> notes,
        bool lastRound,
        CancellationToken cancellationToken)
    {
        // The agent's view of the thread: the thread and what the turn produced as they are when nothing in the thread
        // needs rewriting (the turn's own messages never do), so only a thread shared with other agents is rewritten.
        var view = threadAsIs ? null : ConversationView.For(Name, produced.Count == 0 ? thread : [.. thread, .. produced]);
        var request = new List<ChatMessage>((view?.Count ?? thread.Count + produced.Count) + notes.Count + 2);
        if (_instructions is not null)
        {
            request.Add(_instructions);
        }

        if (ContextProviders.Count > 0)
        {
            view ??= produced.Count == 0 ? thread : [.. thread, .. produced];
            foreach (var provider in ContextProviders)
            {
                request.AddRange(await provider.ProvideAsync(new AgentContextRequest(context, Instructions, view), cancellationToken));
            }
        }

        foreach (var note in notes)
        {
            request.Add(new ChatMessage(ChatRole.System, note));
        }

        if (view is null)
        {
            request.AddRange(thread);
            request.AddRange(produced);
        }
        else
        {
            request.AddRange(view);
        }

        if (lastRound)
        {
            request.Add(new ChatMessage(ChatRole.System,
                $"You have used the limit of {MaxToolRounds} rounds of tool calls for this turn. Answer now with what you have."));
        }

        // Far below the budget (most calls) nothing is counted, and no task is made for the window.
        return Window.FitsWithoutCounting(request) ? request : await Window.FitAsync(request, context.Summaries, cancellationToken);
    }

    // A method of its own, so the closure is made only for a reply with several calls.
    private Task<ToolCallRecord> InvokeConcurrently(AgentContext context, FunctionCallContent call, IReadOnlyList<AIFunction> tools, int index, Action<AIFunction> offer, CancellationToken cancellationToken) =>
        Task.Run(() => InvokeToolAsync(context, call, tools, index, offer, cancellationToken).AsTask(), cancellationToken);

    private async ValueTask<ToolCallRecord> InvokeToolAsync(AgentContext context, FunctionCallContent call, IReadOnlyList<AIFunction> tools, int index, Action<AIFunction> offer, CancellationToken cancellationToken)
    {
        using var activity = CadreTelemetry.ActivitySource.HasListeners() ? StartToolActivity(call) : null;
        var observed = !ReferenceEquals(context.Observer, RunObserver.None);
        if (observed)
        {
            context.Observer.OnEvent(new ToolCallStarted(context.RunId, context.Time.GetUtcNow(), Name, call.Name, ToolResults.FormatArguments(call)));
        }

        var record = await ToolInvoker.InvokeAsync(new ToolCallRequest(context, call, tools, index) { Offer = offer }, cancellationToken);
        var status = StatusName(record.Status);
        if (activity is not null)
        {
            activity.SetTag("cadre.tool.status", status);
            if (IsFailure(record.Status))
            {
                // The GenAI conventions: a failed operation sets the span's status and error.type.
                activity.SetStatus(ActivityStatusCode.Error, record.Result);
                activity.SetTag("error.type", status);
            }
        }

        if (CadreTelemetry.ToolCalls.Enabled)
        {
            CadreTelemetry.ToolCalls.Add(1, new("cadre.tool", call.Name), new("cadre.tool.status", status));
        }

        if (CadreTelemetry.ToolDuration.Enabled)
        {
            CadreTelemetry.ToolDuration.Record(record.Duration.TotalSeconds, new("cadre.tool", call.Name), new("cadre.tool.status", status));
        }

        if (observed)
        {
            context.Observer.OnEvent(new ToolCallFinished(context.RunId, context.Time.GetUtcNow(), Name, record));
        }

        return record;
    }

    private Activity? StartTurnActivity(AgentContext context)
    {
        var activity = CadreTelemetry.ActivitySource.StartActivity($"invoke_agent {Name}");
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("gen_ai.operation.name", "invoke_agent");
        activity.SetTag("gen_ai.agent.name", Name);
        activity.SetTag("gen_ai.agent.id", Name);
        if (Description.Length > 0)
        {
            activity.SetTag("gen_ai.agent.description", Description);
        }

        if (_metadata?.ProviderName is { } provider)
        {
            activity.SetTag("gen_ai.provider.name", provider);
        }

        if ((ChatOptions?.ModelId ?? _metadata?.DefaultModelId) is { } model)
        {
            activity.SetTag("gen_ai.request.model", model);
        }

        if ((context.ConversationId ?? (context.RunId.Length > 0 ? context.RunId : null)) is { } conversation)
        {
            activity.SetTag("gen_ai.conversation.id", conversation);
        }

        if (context.RunId.Length > 0)
        {
            activity.SetTag("cadre.run.id", context.RunId);
            activity.SetTag("cadre.step", context.Step);
        }

        return activity;
    }

    private static Activity? StartToolActivity(FunctionCallContent call)
    {
        var activity = CadreTelemetry.ActivitySource.StartActivity($"execute_tool {call.Name}");
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", call.Name);
        activity?.SetTag("gen_ai.tool.type", "function");
        activity?.SetTag("gen_ai.tool.call.id", call.CallId);
        return activity;
    }

    private static bool IsFailure(ToolCallStatus status) =>
        status is ToolCallStatus.Failed or ToolCallStatus.UnknownTool or ToolCallStatus.InvalidArguments or ToolCallStatus.Denied;

    private static string StatusName(ToolCallStatus status) => status switch
    {
        ToolCallStatus.Succeeded => nameof(ToolCallStatus.Succeeded),
        ToolCallStatus.Failed => nameof(ToolCallStatus.Failed),
        ToolCallStatus.UnknownTool => nameof(ToolCallStatus.UnknownTool),
        ToolCallStatus.InvalidArguments => nameof(ToolCallStatus.InvalidArguments),
        ToolCallStatus.Denied => nameof(ToolCallStatus.Denied),
        ToolCallStatus.Replayed => nameof(ToolCallStatus.Replayed),
        _ => status.ToString(),
    };

    // The calls a reply asks for; null when it asks for none.
    private static List<FunctionCallContent>? FunctionCalls(IList<ChatMessage> messages)
    {
        List<FunctionCallContent>? calls = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is FunctionCallContent call)
                {
                    (calls ??= []).Add(call);
                }
            }
        }

        return calls;
    }

    private static AIFunctionDeclaration CreateHandoffTool(IReadOnlyList<HandoffTarget> targets)
    {
        var names = new System.Text.Json.Nodes.JsonArray(targets.Select(t => (System.Text.Json.Nodes.JsonNode?)t.Name).ToArray());
        var schema = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "object",
            ["properties"] = new System.Text.Json.Nodes.JsonObject
            {
                ["to"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string", ["enum"] = names, ["description"] = "The agent to hand the conversation to." },
                ["note"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string", ["description"] = "What the next agent needs to know: the problem and what you found." },
            },
            ["required"] = new System.Text.Json.Nodes.JsonArray("to", "note"),
        };
        var description = "Hand the conversation to another agent when it is better placed to help. Agents: " +
            string.Join("; ", targets.Select(t => $"{t.Name}: {t.Description}"));
        return AIFunctionFactory.CreateDeclaration(HandoffToolName, description, JsonSerializer.SerializeToElement(schema));
    }

    private static (Handoff? Handoff, string Result) ReadHandoff(FunctionCallContent call, IReadOnlyList<HandoffTarget> targets)
    {
        var to = call.Arguments?.TryGetValue("to", out var t) == true ? ToolResults.Format(t) : "";
        var note = call.Arguments?.TryGetValue("note", out var n) == true ? ToolResults.Format(n) : "";
        var target = targets.FirstOrDefault(x => string.Equals(x.Name, to, StringComparison.OrdinalIgnoreCase));
        return target is null
            ? (null, ToolResults.Error($"there is no agent named '{to}' to hand off to. Choose one of: {string.Join(", ", targets.Select(x => x.Name))}."))
            : (new Handoff(target.Name, note), $"Handed off to {target.Name}.");
    }
}
