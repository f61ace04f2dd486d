using Cadre.Agents;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.AgentFramework;

/// <summary>Put around a <see cref="Microsoft.Agents.AI.ChatClientAgent"/>'s chat client for one Cadre turn
/// (<see cref="Microsoft.Agents.AI.ChatClientAgentRunOptions.ChatClientFactory"/>): before the agent's function-invoking
/// client sees the tools, each callable one is replaced by one that makes the call through the Cadre agent's tool invoker
/// (grants, schema, approval, ledger, limits, resilience, audit — as that Cadre agent, in its run and step). Declarations
/// (Cadre's handoff tool) are left as they are: the AIAgent cannot call them, so they come back to Cadre as calls.</summary>
internal sealed class GovernedToolsChatClient(IChatClient inner, IToolInvoker invoker, AgentContext context) : DelegatingChatClient(inner)
{
    private readonly IToolInvoker _invoker = invoker;
    private readonly AgentContext _context = context;
    private IReadOnlyList<AIFunction> _given = [];
    private int _calls;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Govern(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Govern(options), cancellationToken);

    private ChatOptions? Govern(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || !tools.Any(t => t is AIFunction and not GovernedFunction))
        {
            return options;
        }

        // The tools the AIAgent was given, as the invoker sees them: its grants apply to these, by name.
        _given = [.. tools.OfType<AIFunction>().Select(t => t is GovernedFunction governed ? governed.Original : t)];
        var governedOptions = options.Clone();
        governedOptions.Tools = [.. tools.Select(t => t is AIFunction function and not GovernedFunction ? new GovernedFunction(function, this) : t)];
        return governedOptions;
    }

    // One of the AIAgent's tools, called through the Cadre invoker.
    private sealed class GovernedFunction(AIFunction original, GovernedToolsChatClient owner) : DelegatingAIFunction(original)
    {
        public AIFunction Original => InnerFunction;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            // The call as the model made it (its id and arguments), when the function-invoking client says.
            var call = FunctionInvokingChatClient.CurrentContext?.CallContent is { } made && made.Name == Name
                ? made
                : new FunctionCallContent("", Name, new Dictionary<string, object?>(arguments));
            var context = owner._context;
            var request = new ToolCallRequest(context, call, owner._given, Interlocked.Increment(ref owner._calls) - 1)
            {
                // Keys of their own within the step, apart from the calls the Cadre agent makes.
                Parent = $"{context.RunId}/{context.Step}/{context.Agent}",
            };
            var record = await owner._invoker.InvokeAsync(request, cancellationToken);
            return record.Result;
        }
    }
}
