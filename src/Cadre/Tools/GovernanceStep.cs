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
        if (request.Governed is Ticket ticket && ticket.Call.Governance == governance && ticket.Call.Generation == ticket.Generation)
        {
            // A call coming back from a step of the user's own: it goes on with what the steps before decided.
            ticket.Call.Request = request;
            return RunAsync(ticket.Call, cancellationToken).AsTask();
        }

        var call = GovernedCall.Rent(request, governance);
        var running = RunAsync(call, cancellationToken);
        if (!running.IsCompleted)
        {
            return FinishAsync(running, call);
        }

        var done = running.AsTask();
        call.Return();
        return done;
    }

    /// <summary>This step's part of the call.</summary>
    internal abstract ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken);

    /// <summary>Hands the call to the next step.</summary>
    protected ValueTask<ToolCallRecord> NextAsync(GovernedCall call, CancellationToken cancellationToken) =>
        inner is GovernanceStep step
            ? step.RunAsync(call, cancellationToken)
            : new(inner!.InvokeAsync(call.Request with { Governed = new Ticket(call, call.Generation) }, cancellationToken));

    private static async Task<ToolCallRecord> FinishAsync(ValueTask<ToolCallRecord> running, GovernedCall call)
    {
        try
        {
            return await running;
        }
        finally
        {
            call.Return();
        }
    }

    // The call a request carries across a step of the user's own, and which use of its object it was.
    private sealed record Ticket(GovernedCall Call, int Generation);
}
