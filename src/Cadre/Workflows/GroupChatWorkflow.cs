using System.Globalization;
using System.Text;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Runs;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// A group chat: participants take turns on one shared thread until one of them ends its message with
/// <see cref="DoneMarker"/> or <see cref="MaxTurns"/> is reached; the last message is the answer. The next speaker is
/// chosen round-robin, or — with a <see cref="Selector"/> model — by that model from the participants' descriptions
/// and the conversation (Microsoft.Extensions.AI's typed <c>GetResponseAsync&lt;SpeakerChoice&gt;</c>). A selector
/// that fails or names no participant falls back to round-robin, so a flaky selector never stops the chat. Each
/// turn is a checkpointed step like any workflow's.
/// </summary>
public sealed class GroupChatWorkflow : Workflow
{
    private const string TurnsKey = "turns";
    private const string PickedByKey = "picked_by";

    /// <summary>Creates a chat over <paramref name="participants"/>, who speak round-robin unless
    /// <paramref name="selector"/> picks.</summary>
    /// <exception cref="ArgumentException">Fewer than two participants, or two with the same name.</exception>
    /// <param name="participants">The participants; the first speaks first.</param>
    /// <param name="selector">The model that picks each next speaker; round-robin when null.</param>
    public GroupChatWorkflow(IReadOnlyList<Agent> participants, IChatClient? selector = null)
        : base(participants)
    {
        if (participants.Count < 2)
        {
            throw new ArgumentException("A group chat needs at least two participants.", nameof(participants));
        }

        Selector = selector;
    }

    /// <inheritdoc />
    public override string Kind => "group-chat";

    /// <summary>The model that picks the next speaker, if any.</summary>
    public IChatClient? Selector { get; }

    /// <summary>The most turns the chat may take (default 8); the last message then is the answer.</summary>
    public int MaxTurns { get; init; } = 8;

    /// <summary>What a participant writes at the end of its message when the task is complete (default
    /// <c>DONE</c>).</summary>
    public string DoneMarker { get; init; } = "DONE";

    /// <inheritdoc />
    protected override WorkflowState InitialState(string task) => new()
    {
        Task = task,
        NextAgent = Agents[0].Name,
        Data = new Dictionary<string, string> { [TurnsKey] = "0" },
    };

    /// <inheritdoc />
    protected override AgentTurnOptions PrepareTurn(Agent agent, WorkflowState state, AgentTurnOptions turn)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(turn);
        var others = string.Join(", ", Agents.Where(a => a != agent).Select(a => a.Name));
        var note = $"You are {agent.Name} in a group chat with {others}. Build on what they said. When the task is complete, end your message with {DoneMarker}.";
        return turn with { Notes = [note, .. turn.Notes] };
    }

    /// <inheritdoc />
    protected override WorkflowState Advance(WorkflowState state, AgentResponse response)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        var turns = int.Parse(state.Data.GetValueOrDefault(TurnsKey, "0"), CultureInfo.InvariantCulture) + 1;
        var data = new Dictionary<string, string> { [TurnsKey] = turns.ToString(CultureInfo.InvariantCulture) };
        var text = response.Text.TrimEnd();
        if (text.EndsWith(DoneMarker, StringComparison.Ordinal) || turns >= MaxTurns)
        {
            var answer = text.EndsWith(DoneMarker, StringComparison.Ordinal) ? text[..^DoneMarker.Length].TrimEnd() : text;
            return state with { NextAgent = null, Notes = [], Answer = answer, Data = data };
        }

        var index = Agents.ToList().FindIndex(a => a.Name == response.Agent);
        data[PickedByKey] = "round-robin";
        return state with { NextAgent = Agents[(index + 1) % Agents.Count].Name, Notes = [], Data = data };
    }

    /// <inheritdoc />
    protected override async ValueTask<WorkflowState> AdvanceAsync(WorkflowState state, AgentResponse response, CancellationToken cancellationToken)
    {
        var next = Advance(state, response);
        if (Selector is null || next.IsFinished)
        {
            return next;
        }

        SpeakerChoice? choice;
        try
        {
            var result = await Selector.GetResponseAsync<SpeakerChoice>(SelectionPrompt(state.Task, response), AIJsonUtilities.DefaultOptions, cancellationToken: cancellationToken);
            choice = result.TryGetResult(out var picked) ? picked : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AgentContext.Current?.Observer.OnEvent(new RunNotice(AgentContext.Current.RunId, AgentContext.Current.Time.GetUtcNow(),
                $"the speaker selector failed ({TransientFailures.Describe(ex)}); {next.NextAgent} speaks next (round-robin)"));
            return next;
        }

        var data = new Dictionary<string, string>(next.Data, StringComparer.Ordinal);
        if (choice is { Done: true })
        {
            return next with { NextAgent = null, Answer = response.Text.Trim(), Data = data };
        }

        var chosen = Agents.FirstOrDefault(a => string.Equals(a.Name, choice?.Next?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (chosen is null)
        {
            return next; // no usable choice: round-robin
        }

        data[PickedByKey] = "selector: " + choice!.Reason;
        return next with { NextAgent = chosen.Name, Data = data };
    }

    private List<ChatMessage> SelectionPrompt(string task, AgentResponse last)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"You moderate a group chat working on: {task}")
            .AppendLine("Participants:");
        foreach (var agent in Agents)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {agent.Name}: {(agent.Description.Length > 0 ? agent.Description : agent.Instructions)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{last.Agent} just said: {last.Text}")
            .Append("Who should speak next? Answer with the participant's name in \"next\"; set \"done\" when the task is complete.");
        return [new ChatMessage(ChatRole.User, text.ToString())];
    }
}
