using Cadre.Agents;

namespace Cadre.Tools;

/// <summary>A step of the governed path (<see cref="ToolInvokerBuilder"/>). Steps hand the call to each other as a
/// <see cref="GovernedCall"/> and a <see cref="ValueTask{TResult}"/>, so a call that completes without waiting makes
/// no task per step; only across a step of the user's own does the call travel as a request again.</summary>
internal abstract class GovernanceStep(IToolInvoker? inner, ToolGovernance governance) : IToolInvoker
{
    protected ToolGovernance Governance => governance;

    /// <summary>The next step; null for the last one, which calls the tool.</summary>
    public IToolInvoker? Inner => inner;

    /// <inheritdoc />
    public Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Governed is GovernedCall call && call.Governance == governance)
        {
            call.Request = request;
        }
        else
        {
            call = new GovernedCall(request, governance);
        }

        return RunAsync(call, cancellationToken).AsTask();
    }

    /// <summary>This step's part of the call.</summary>
    internal abstract ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken);

    /// <summary>Hands the call to the next step.</summary>
    protected ValueTask<ToolCallRecord> NextAsync(GovernedCall call, CancellationToken cancellationToken) =>
        inner is GovernanceStep step
            ? step.RunAsync(call, cancellationToken)
            : new(inner!.InvokeAsync(call.Request with { Governed = call }, cancellationToken));
}
