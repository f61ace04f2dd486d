namespace Cadre.Tools;

/// <summary>What a tool returned, as the model, the cache, the ledger and the audit log get it: secrets hidden
/// (<see cref="GovernedToolOptions.Redactor"/>) and within <see cref="GovernedToolOptions.ResultBudget"/>, with a note
/// saying how much was cut.</summary>
internal sealed class ResultBoundsStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        var next = NextAsync(call, cancellationToken);
        return next.IsCompletedSuccessfully ? new(Bound(next.Result)) : BoundAsync(next);
    }

    private async ValueTask<ToolCallRecord> BoundAsync(ValueTask<ToolCallRecord> next) => Bound(await next);

    // A new record only when something was hidden or cut.
    private ToolCallRecord Bound(ToolCallRecord record) =>
        Governance.Bounded(record.Result) is var bounded && ReferenceEquals(bounded, record.Result) ? record : record with { Result = bounded };
}
