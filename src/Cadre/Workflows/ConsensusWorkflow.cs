using System.Globalization;
using System.Text.Json;
using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// A <see cref="Consensus"/> as a checkpointed workflow: each voter answers the task in a step of its own, on a fresh
/// thread, and the votes so far are part of every checkpoint — a crash loses at most the vote in progress and resuming
/// asks only the voters still due. After the last vote the answers are compared; the run answers with the majority,
/// and escalates to a person (with the votes) when the consensus needs review. A voter that fails is recorded as
/// such, not fatal. Made by <see cref="Consensus.AsWorkflow"/>.
/// </summary>
public sealed class ConsensusWorkflow : Workflow
{
    private const string NextKey = "voter";
    private const string VotesKey = "votes";
    private const string ResultKey = "consensus";
    private static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;
    private readonly Consensus _consensus;

    /// <summary>Creates the workflow; an agent behind several voters takes part once, voting once per voter.</summary>
    /// <param name="consensus">The voters, the comparer and the agreement required.</param>
    public ConsensusWorkflow(Consensus consensus)
        : base((consensus ?? throw new ArgumentNullException(nameof(consensus))).Voters.Select(v => v.Agent).DistinctBy(a => a.Name).ToList())
    {
        _consensus = consensus;
    }

    /// <inheritdoc />
    public override string Kind => "consensus";

    /// <summary>Reads what a run of this workflow found, from its checkpoint: every vote so far, and once all voted, the
    /// agreement, the majority and whether it needs review.</summary>
    /// <param name="runId">The run's id or a unique prefix of it.</param>
    /// <param name="workspace">The workspace the run is recorded in; only read.</param>
    /// <param name="cancellationToken">Cancels the read; reading changes nothing, so it may be cancelled at any point.</param>
    /// <returns>The result, or null before the last vote.</returns>
    public static async Task<ConsensusResult?> ReadAsync(string runId, IWorkspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var checkpoint = await workspace.Runs.GetCheckpointAsync(runId, cancellationToken);
        return checkpoint?.State.Data.TryGetValue(ResultKey, out var json) == true ? JsonSerializer.Deserialize<ConsensusResult>(json, Json) : null;
    }

    /// <inheritdoc />
    protected override WorkflowState InitialState(string task) => new()
    {
        Task = task,
        NextAgent = _consensus.Voters[0].Agent.Name,
        Data = new Dictionary<string, string> { [NextKey] = "0", [VotesKey] = "[]" },
    };

    /// <inheritdoc />
    protected override WorkflowState Advance(WorkflowState state, AgentResponse response) =>
        throw new InvalidOperationException("A consensus advances asynchronously (it compares the answers).");

    /// <inheritdoc />
    protected override AgentTurnOptions PrepareTurn(Agent agent, WorkflowState state, AgentTurnOptions turn)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(turn);
        return turn with { ChatOptions = _consensus.Voters[Next(state)].Options, Notes = [] };
    }

    /// <inheritdoc />
    /// <remarks>Each voter answers the task alone, on a fresh thread, as in <see cref="Consensus.RunAsync"/>; a voter
    /// that fails gives a step that says so instead of failing the run.</remarks>
    protected override async Task<AgentResponse> RunTurnAsync(Agent agent, IReadOnlyList<ChatMessage> thread, AgentTurnOptions turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var task = thread.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        try
        {
            return await agent.RunAsync([new ChatMessage(ChatRole.User, task)], turn, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or CrashException or RunSupersededException))
        {
            return new AgentResponse(agent.Name, [new ChatMessage(ChatRole.System, $"no vote: {TransientFailures.Describe(ex)}") { AuthorName = agent.Name }], [], TokenUsage.Zero, TimeSpan.Zero, null);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<WorkflowState> AdvanceAsync(WorkflowState state, AgentResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        var votes = JsonSerializer.Deserialize<List<Ballot>>(state.Data.GetValueOrDefault(VotesKey, "[]"), Json) ?? [];
        votes.Add(string.IsNullOrWhiteSpace(response.Text)
            ? new Ballot(null, response.Messages.Count > 0 && response.Messages[0].Text is { Length: > 0 } why ? why : "no answer")
            : new Ballot(response.Text.Trim(), null));
        var data = new Dictionary<string, string>(state.Data, StringComparer.Ordinal)
        {
            [NextKey] = votes.Count.ToString(CultureInfo.InvariantCulture),
            [VotesKey] = JsonSerializer.Serialize(votes, Json),
        };
        if (votes.Count < _consensus.Voters.Count)
        {
            return state with { NextAgent = _consensus.Voters[votes.Count].Agent.Name, Data = data, Notes = [] };
        }

        var result = await _consensus.TallyAsync(votes.Select(v => (v.Answer, v.Error)).ToList(), cancellationToken);
        data[ResultKey] = JsonSerializer.Serialize(result, Json);
        var escalation = result.NeedsReview
            ? new EscalationRequest(string.Create(CultureInfo.InvariantCulture,
                $"the voters do not agree enough (agreement {result.Agreement:P0}; {string.Join("; ", result.Votes.Select(v => $"{v.Voter}: {v.Answer ?? v.Error}"))})"), false)
            : null;
        return state with { NextAgent = null, Answer = result.MajorityAnswer, Escalation = escalation, Data = data, Notes = [] };
    }

    private static int Next(WorkflowState state) => int.Parse(state.Data.GetValueOrDefault(NextKey, "0"), CultureInfo.InvariantCulture);

    private sealed record Ballot(string? Answer, string? Error);
}
