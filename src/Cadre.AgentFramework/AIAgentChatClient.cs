using System.Runtime.CompilerServices;
using Cadre.Agents;
using Cadre.Tools;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Cadre.AgentFramework;

/// <summary>
/// An Agent Framework <see cref="AIAgent"/> seen as the model of a Cadre agent, which is how an AIAgent joins Cadre
/// workflows (<see cref="AgentFrameworkExtensions.AsCadreAgent"/>). Each call runs the AIAgent on a fresh session
/// with the Cadre agent's view of the thread: the workflow's checkpoint holds the thread, so a resumed run gives the
/// AIAgent the same history. Tools Cadre offers (the handoff tool) are passed to a <see cref="ChatClientAgent"/> as
/// run options; as declarations they come back to Cadre as calls. Calls the AIAgent made and answered itself (its
/// own tools) stay inside it and are left out of the reply, so Cadre does not call them again.
/// </summary>
internal sealed class AIAgentChatClient(AIAgent agent) : IChatClient
{
    public AIAgent Agent { get; } = agent;

    /// <summary>The invoker a <see cref="ChatClientAgent"/>'s own tools are called through (the Cadre agent's); their
    /// calls are not governed when null.</summary>
    public IToolInvoker? ToolInvoker { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var session = await Agent.CreateSessionAsync(cancellationToken);
        var runOptions = options?.Tools is { Count: > 0 } ? new ChatClientAgentRunOptions(new ChatOptions { Tools = [.. options.Tools] }) : null;
        if (Agent is ChatClientAgent && ToolInvoker is { } invoker && AgentContext.Current is { } context)
        {
            // The agent's own tools go through the Cadre agent's governed path, in this turn's run and step.
            runOptions ??= new ChatClientAgentRunOptions();
            runOptions.ChatClientFactory = inner => new GovernedToolsChatClient(inner, invoker, context);
        }

        var response = await Agent.RunAsync(messages.Where(m => m.Role != ChatRole.System || m.Text.Length > 0), session, runOptions, cancellationToken);
        return new ChatResponse(Unanswered(response.Messages))
        {
            Usage = response.Usage,
            ModelId = Agent.Name,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            ResponseId = response.ResponseId,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : serviceKey is null && serviceType.IsInstanceOfType(Agent) ? Agent
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("microsoft.agent_framework", null, Agent.Name)
            : Agent.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
    }

    // The reply keeps the AIAgent's text and the calls it left for its caller; calls it answered itself go.
    private static List<ChatMessage> Unanswered(IList<ChatMessage> messages)
    {
        var answered = messages
            .SelectMany(m => m.Contents.OfType<FunctionResultContent>())
            .Select(r => r.CallId)
            .ToHashSet(StringComparer.Ordinal);
        var kept = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.Tool)
            {
                continue;
            }

            var contents = message.Contents
                .Where(c => c is not FunctionResultContent && (c is not FunctionCallContent call || !answered.Contains(call.CallId)))
                .ToList();
            if (contents.Count > 0)
            {
                kept.Add(new ChatMessage(message.Role, contents) { MessageId = message.MessageId, CreatedAt = message.CreatedAt });
            }
        }

        return kept;
    }
}
