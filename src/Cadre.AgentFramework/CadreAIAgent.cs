using System.Runtime.CompilerServices;
using System.Text.Json;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Workspaces;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using CadreAgent = Cadre.Agents.Agent;

namespace Cadre.AgentFramework;

/// <summary>
/// A Cadre <see cref="CadreAgent"/> as an Agent Framework <see cref="AIAgent"/>. Each run is one Cadre turn: its
/// tool calls take the agent's own path (the governed invoker by default, audited in <see cref="Workspace"/>), its
/// context providers (memory, lessons) add their context, and its context window fits the request. A session is a
/// Cadre conversation: its messages are kept in the workspace's conversation store under the session's id when a
/// workspace is given, else in the session itself.
/// </summary>
public sealed class CadreAIAgent : AIAgent
{
    /// <summary>Creates the adapter; see <see cref="AgentFrameworkExtensions.AsAIAgent(CadreAgent, IWorkspace?, IRunObserver?, TimeProvider?)"/>.</summary>
    /// <param name="agent">The Cadre agent that takes the turns.</param>
    /// <param name="workspace">Where conversations, the tool ledger and the audit live; none keeps history in the
    /// session and lets the governed path audit nowhere.</param>
    /// <param name="observer">Who watches the turns' tool calls; nobody when null.</param>
    /// <param name="time">The clock of the turns and of the responses' <c>CreatedAt</c>; the system's when null.</param>
    public CadreAIAgent(CadreAgent agent, IWorkspace? workspace = null, IRunObserver? observer = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Agent = agent;
        Workspace = workspace;
        Observer = observer ?? RunObserver.None;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>The Cadre agent that takes the turns.</summary>
    public CadreAgent Agent { get; }

    /// <summary>Where conversations are kept and tool calls are audited, if anywhere.</summary>
    public IWorkspace? Workspace { get; }

    /// <summary>Who watches the turns' tool calls; <see cref="RunObserver.None"/> when none was given.</summary>
    public IRunObserver Observer { get; }

    /// <summary>The clock the turns run on.</summary>
    public TimeProvider Time { get; }

    /// <inheritdoc />
    protected override string? IdCore => "cadre:" + Agent.Name;

    /// <inheritdoc />
    public override string? Name => Agent.Name;

    /// <inheritdoc />
    public override string? Description => Agent.Description.Length > 0 ? Agent.Description : Agent.Instructions;

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(Agent) ? Agent : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<AgentSession>(new CadreAgentSession(Guid.NewGuid().ToString("N")));

    /// <inheritdoc />
    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(AgentSession session, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(CadreAgentSession.From(session).Serialize(keepMessages: Workspace is null));

    /// <inheritdoc />
    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<AgentSession>(CadreAgentSession.Deserialize(serializedState));

    /// <inheritdoc />
    protected override async Task<Microsoft.Agents.AI.AgentResponse> RunCoreAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = session is null ? new CadreAgentSession(Guid.NewGuid().ToString("N")) : CadreAgentSession.From(session);
        var input = messages.ToList();
        var history = Workspace is null
            ? conversation.Messages
            : await Workspace.Conversations.LoadAsync(conversation.ConversationId, cancellationToken);
        var turn = new AgentTurnOptions
        {
            Context = new AgentContext
            {
                Agent = Agent.Name,
                ConversationId = conversation.ConversationId,
                Workspace = Workspace,
                Observer = Observer,
                Time = Time,
            },
            ChatOptions = (options as ChatClientAgentRunOptions)?.ChatOptions,
        };
        var response = await Agent.RunAsync([.. history, .. input], turn, cancellationToken);
        if (Workspace is null)
        {
            conversation.Append(input);
            conversation.Append(response.Messages);
        }
        else
        {
            await Workspace.Conversations.AppendAsync(conversation.ConversationId, [.. input, .. response.Messages], cancellationToken);
        }

        return new Microsoft.Agents.AI.AgentResponse([.. response.Messages])
        {
            AgentId = Id,
            CreatedAt = Time.GetUtcNow(),
            Usage = new UsageDetails
            {
                InputTokenCount = response.Usage.InputTokens,
                OutputTokenCount = response.Usage.OutputTokens,
                TotalTokenCount = response.Usage.InputTokens + response.Usage.OutputTokens,
            },
            RawRepresentation = response,
        };
    }

    /// <inheritdoc />
    /// <remarks>A Cadre turn completes before it is shown (its tool calls are governed as a whole), so the updates
    /// arrive together when the turn ends.</remarks>
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await RunCoreAsync(messages, session, options, cancellationToken);
        foreach (var update in response.ToAgentResponseUpdates())
        {
            yield return update;
        }
    }
}
