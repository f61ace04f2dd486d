using System.Globalization;
using System.Text.Json;
using Cadre.Agents;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>
/// An answer checked before it is accepted. The answerer gives a typed answer with its confidence and sources (a
/// JSON schema made from <see cref="CheckedAnswer{T}"/>); the verifier — another agent, with its own tools and memory
/// if it has them — accepts it or sends it back with reasons (a <see cref="Verdict"/>). An answer that does not fit
/// the schema, or is less sure than <see cref="MinimumConfidence"/>, goes back without troubling the verifier. After
/// <see cref="MaxRejections"/> rejections the run escalates to a person with the reasons. Read the accepted answer
/// with <see cref="CheckedAnswers.Read{T}"/>.
/// </summary>
/// <typeparam name="T">The answer's type.</typeparam>
public sealed class VerifiedAnswerWorkflow<T> : Workflow
{
    private const string CandidateKey = "candidate";
    private const string RejectionsKey = "rejections";
    private static readonly JsonSerializerOptions Compact = new(CheckedAnswers.SerializerOptions) { WriteIndented = false };

    /// <summary>Creates the workflow over two differently named agents; the answerer takes the first step.</summary>
    /// <param name="answerer">The agent that answers.</param>
    /// <param name="verifier">The agent that checks.</param>
    public VerifiedAnswerWorkflow(Agent answerer, Agent verifier)
        : base([answerer ?? throw new ArgumentNullException(nameof(answerer)), verifier ?? throw new ArgumentNullException(nameof(verifier))])
    {
        Answerer = answerer;
        Verifier = verifier;
    }

    /// <inheritdoc />
    public override string Kind => "verified";

    /// <summary>The agent that answers.</summary>
    public Agent Answerer { get; }

    /// <summary>The agent that checks.</summary>
    public Agent Verifier { get; }

    /// <summary>How many times an answer may be sent back before the run escalates (default 2).</summary>
    public int MaxRejections { get; init; } = 2;

    /// <summary>Answers less sure than this (0 to 1) go back to the answerer without being verified (default 0).</summary>
    public double MinimumConfidence { get; init; }

    /// <inheritdoc />
    protected override WorkflowState InitialState(string task) => new() { Task = task, NextAgent = Answerer.Name };

    /// <inheritdoc />
    protected override AgentTurnOptions PrepareTurn(Agent agent, WorkflowState state, AgentTurnOptions turn)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(turn);
        var options = turn.ChatOptions?.Clone() ?? new Microsoft.Extensions.AI.ChatOptions();
        if (agent == Answerer)
        {
            options.ResponseFormat = CheckedAnswers.FormatFor<CheckedAnswer<T>>();
            return turn with
            {
                ChatOptions = options,
                Notes = ["Answer as JSON with your answer, your confidence from 0 to 1, and your sources.", .. turn.Notes],
            };
        }

        options.ResponseFormat = CheckedAnswers.FormatFor<Verdict>();
        return turn with
        {
            ChatOptions = options,
            Notes =
            [
                $"Check this answer to the task before it is accepted: {state.Data.GetValueOrDefault(CandidateKey)}",
                "Reply as JSON: accepted true or false, and your reasons. Reject it when it is wrong, unsupported by its sources, or incomplete.",
            ],
        };
    }

    /// <inheritdoc />
    protected override WorkflowState Advance(WorkflowState state, AgentResponse response)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        if (response.Agent == Answerer.Name)
        {
            if (!CheckedAnswers.TryRead<CheckedAnswer<T>>(response.Text, out var answer))
            {
                return SendBack(state, ["the answer is not valid JSON for the answer schema (answer, confidence, sources)"]);
            }

            if (answer!.Confidence < MinimumConfidence)
            {
                return SendBack(state, [string.Create(CultureInfo.InvariantCulture, $"your confidence {answer.Confidence:0.##} is below the required {MinimumConfidence:0.##}; check your sources")]);
            }

            var candidate = JsonSerializer.Serialize(answer, Compact);
            return state with { NextAgent = Verifier.Name, Notes = [], Data = With(state, CandidateKey, candidate) };
        }

        if (!CheckedAnswers.TryRead<Verdict>(response.Text, out var verdict))
        {
            return state with { NextAgent = Verifier.Name, Notes = ["Your reply could not be read. Reply as JSON with accepted and reasons."] };
        }

        return verdict!.Accepted
            ? state with { NextAgent = null, Notes = [], Answer = state.Data.GetValueOrDefault(CandidateKey) }
            : SendBack(state, verdict.Reasons.Count == 0 ? ["the verifier rejected it without reasons"] : verdict.Reasons);
    }

    /// <inheritdoc />
    protected override WorkflowState Resolve(WorkflowState state, EscalationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Decision == EscalationDecision.Retry
            ? state with { Escalation = null, NextAgent = Answerer.Name, Data = With(state, RejectionsKey, "0") }
            : base.Resolve(state, outcome);
    }

    private WorkflowState SendBack(WorkflowState state, IReadOnlyList<string> reasons)
    {
        var rejections = int.Parse(state.Data.GetValueOrDefault(RejectionsKey, "0"), CultureInfo.InvariantCulture) + 1;
        var data = With(state, RejectionsKey, rejections.ToString(CultureInfo.InvariantCulture));
        var why = string.Join("; ", reasons);
        if (rejections > MaxRejections)
        {
            return state with
            {
                Data = data,
                NextAgent = Answerer.Name,
                Escalation = new EscalationRequest($"the answer was rejected {rejections} times; last: {why}", Critical: false, Answerer.Name),
            };
        }

        return state with { NextAgent = Answerer.Name, Notes = [$"Your answer was sent back ({rejections} of {MaxRejections}): {why}. Fix it and answer again."], Data = data };
    }

    private static Dictionary<string, string> With(WorkflowState state, string key, string value) =>
        new(state.Data, StringComparer.Ordinal) { [key] = value };
}
