using System.Globalization;
using Cadre.Agents;
using Cadre.Runs;

namespace Cadre.Workflows;

/// <summary>A pipeline: each agent works once, in order, on the shared thread; the last agent's text is the
/// answer.</summary>
public sealed class SequentialWorkflow : Workflow
{
    private const string PositionKey = "position";

    /// <summary>Creates a pipeline of <paramref name="agents"/>, each working once in the order given.</summary>
    /// <exception cref="ArgumentException">No agent, or two with the same name.</exception>
    /// <param name="agents">The agents, in order.</param>
    public SequentialWorkflow(IReadOnlyList<Agent> agents)
        : base(agents)
    {
    }

    /// <inheritdoc />
    public override string Kind => "sequential";

    /// <inheritdoc />
    protected override WorkflowState InitialState(string task) => new()
    {
        Task = task,
        NextAgent = Agents[0].Name,
        Data = new Dictionary<string, string> { [PositionKey] = "0" },
    };

    /// <inheritdoc />
    protected override WorkflowState Advance(WorkflowState state, AgentResponse response)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        var position = int.Parse(state.Data.GetValueOrDefault(PositionKey, "0"), CultureInfo.InvariantCulture) + 1;
        var finished = position >= Agents.Count;
        return state with
        {
            NextAgent = finished ? null : Agents[position].Name,
            Notes = [],
            Answer = finished ? response.Text : null,
            Data = new Dictionary<string, string> { [PositionKey] = position.ToString(CultureInfo.InvariantCulture) },
        };
    }
}
