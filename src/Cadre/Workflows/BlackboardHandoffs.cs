using System.Text.Json.Nodes;
using Cadre.Conversations;
using Cadre.Memory.Shared;

namespace Cadre.Workflows;

/// <summary>
/// Passes handoffs through a blackboard (an <see cref="IRunHook"/>): when an agent hands the thread to another, the
/// handing agent appends to key <c>handoffs/&lt;run-id&gt;</c> of a namespace (a team's, or <c>shared</c>) the note and
/// the conversation as the receiving agent sees it. Access rules apply to the handing agent, and the audit trail shows
/// who handed what to whom. The workflow still carries the note in its checkpointed state, so a resumed run does not
/// depend on the board.
/// </summary>
public sealed class BlackboardHandoffs : IRunHook
{
    /// <summary>The key prefix: <c>handoffs/</c>.</summary>
    public const string KeyPrefix = "handoffs/";

    private readonly Blackboard _board;
    private readonly string _namespace;

    /// <summary>Creates the hook; add it to <see cref="RunOptions.Hooks"/>.</summary>
    /// <param name="board">The blackboard (any actor: each handoff is written as the handing agent).</param>
    /// <param name="team">The team whose namespace gets the handoffs; <c>shared</c> when null.</param>
    public BlackboardHandoffs(Blackboard board, string? team = null)
    {
        ArgumentNullException.ThrowIfNull(board);
        _board = board;
        Team = team;
        _namespace = team is null ? BlackboardNamespaces.Shared : BlackboardNamespaces.Team(team);
    }

    /// <summary>The team the handing agents act in (null: none).</summary>
    public string? Team { get; }

    /// <summary>The key of a run's handoffs.</summary>
    public static string KeyFor(string runId) => KeyPrefix + runId;

    /// <inheritdoc />
    public async ValueTask OnStepCompletedAsync(CompletedStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Step.Handoff is not { } handoff)
        {
            return;
        }

        var conversation = new JsonArray(ConversationView.For(handoff.To, step.Thread)
            .Where(m => !string.IsNullOrWhiteSpace(m.Text))
            .Select(m => (JsonNode?)new JsonObject { ["role"] = m.Role.Value, ["text"] = m.Text })
            .ToArray());
        var record = new JsonObject
        {
            ["step"] = step.Step.Index,
            ["from"] = step.Step.Agent,
            ["to"] = handoff.To,
            ["note"] = handoff.Note,
            ["conversation"] = conversation,
        };
        var actor = BlackboardActor.Agent(step.Step.Agent, Team is null ? [] : [Team]);
        await _board.As(actor).UpdateAsync(_namespace, KeyFor(step.Run.Id), current => BlackboardReducers.Append.Reduce(current, record), cancellationToken);
    }
}
