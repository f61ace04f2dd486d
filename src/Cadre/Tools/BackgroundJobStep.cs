namespace Cadre.Tools;

/// <summary>Starts a call of a long-running tool (<see cref="ToolDescriptor.LongRunning"/>) as a background job and
/// tells the model where to find its result; the steps below this one run the job. Other calls go straight on.</summary>
internal sealed class BackgroundJobStep : GovernanceStep
{
    public BackgroundJobStep(IToolInvoker inner, ToolGovernance governance)
        : base(inner, governance) =>
        governance.Jobs.Execute = NextAsync;

    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken) =>
        call.Tool() is { Descriptor.LongRunning: true } state
            ? new(Governance.Jobs.StartAsync(state, call, cancellationToken))
            : NextAsync(call, cancellationToken);
}
