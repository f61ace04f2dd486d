namespace Cadre.Tools;

/// <summary>Makes a side-effecting call in a run once per idempotency key (<see cref="LedgerToolInvoker.OnceAsync"/>):
/// a call the ledger already has is replayed, one whose earlier outcome is unknown is repeated only when that is safe,
/// and every outcome is recorded — audited first, so a crash in between leaves the execution visible in the audit and
/// the call pending (outcome unknown) in the ledger, never an execution the audit does not show. Calls with no side
/// effects, outside a run or with no ledger go straight on.</summary>
internal sealed class LedgerStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken) =>
        Governance.LedgerFor(call) is { } ledger
            ? KeepAsync(ledger, call, this, static (step, c, ct) => step.NextAsync(c, ct), cancellationToken)
            : NextAsync(call, cancellationToken);

    /// <summary>Runs a call under the ledger's once-per-key rule, auditing it before the ledger records it.</summary>
    /// <typeparam name="TState">What <paramref name="run"/> needs, passed so it captures nothing.</typeparam>
    /// <param name="ledger">The ledger that keeps the call.</param>
    /// <param name="call">The governed call; its request is restored when the call ends, even if it throws.</param>
    /// <param name="state">Handed to <paramref name="run"/> unchanged.</param>
    /// <param name="run">Makes the call, when the ledger has no outcome for it (an approval's denial is an outcome too).</param>
    /// <param name="cancellationToken">Cancels the call; one cancelled after its key was reserved stays pending in the ledger (outcome unknown when resumed).</param>
    /// <returns>The recorded or new outcome.</returns>
    public static async ValueTask<ToolCallRecord> KeepAsync<TState>(
        IToolLedger ledger, GovernedCall call, TState state, Func<TState, GovernedCall, CancellationToken, ValueTask<ToolCallRecord>> run, CancellationToken cancellationToken)
    {
        var original = call.Request;
        call.RanInLedger = false;
        try
        {
            var record = await LedgerToolInvoker.OnceAsync(
                ledger,
                original,
                call.Tool()!.Descriptor.Idempotent,
                (Call: call, State: state, Run: run),
                static (s, made, ct) =>
                {
                    s.Call.RanInLedger = true;
                    s.Call.Request = made;
                    return s.Run(s.State, s.Call, ct);
                },
                call.Governance.Audits ? static (s, made, done) => AuditAsync(s.Call, made, done) : null,
                cancellationToken);
            if (record.Status == ToolCallStatus.Replayed && !call.RanInLedger)
            {
                call.Detail = "replayed from the ledger";
                record = record with { Duration = call.Governance.Time.GetElapsedTime(call.Started) };
            }

            return record;
        }
        finally
        {
            call.Request = original;
        }
    }

    private static async ValueTask AuditAsync(GovernedCall call, ToolCallRequest made, ToolCallRecord done)
    {
        var detail = made.IsRepeat ? $"outcome unknown after a crash: made again under the same key{(call.Detail is { } d ? "; " + d : "")}" : call.Detail;
        await call.Governance.AuditAsync(made, done with { Duration = call.Governance.Time.GetElapsedTime(call.Started) }, detail, null, call.Executions);
        call.Audited = true;
    }
}
