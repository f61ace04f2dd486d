using Cadre.Agents;

namespace Cadre.Tools;

/// <summary>
/// An <see cref="IToolInvoker"/> decorator that makes side-effecting calls happen once per idempotency key: a call
/// already in the ledger (a resumed run replaying its interrupted step) returns the recorded result with status
/// <see cref="ToolCallStatus.Replayed"/>; a new call runs and, when it succeeds, is recorded. The ledger is the
/// workspace's (<see cref="AgentContext.Workspace"/>) unless one is given.
/// </summary>
public sealed class LedgerToolInvoker : IToolInvoker
{
    private readonly IToolInvoker _inner;
    private readonly IToolLedger? _ledger;

    /// <summary>Wraps an invoker.</summary>
    /// <param name="inner">The invoker that makes the calls.</param>
    /// <param name="ledger">The ledger; the calling run's workspace ledger when null.</param>
    public LedgerToolInvoker(IToolInvoker inner, IToolLedger? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _ledger = ledger;
    }

    /// <inheritdoc />
    public async Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ledger = _ledger ?? request.Context.Workspace?.Ledger;
        var tool = request.Tools.FirstOrDefault(t => t.Name == request.Call.Name);
        if (ledger is null || tool is null || ToolNames.SideEffectsOf(tool) == SideEffects.None || request.Context.RunId.Length == 0)
        {
            return await _inner.InvokeAsync(request, cancellationToken);
        }

        var key = request.IdempotencyKey;
        if (await ledger.FindAsync(key, cancellationToken) is { } entry && entry.Tool == request.Call.Name)
        {
            return new ToolCallRecord(request.Call.CallId, request.Call.Name, entry.Arguments, ToolCallStatus.Replayed, entry.Result, TimeSpan.Zero);
        }

        var record = await _inner.InvokeAsync(request, cancellationToken);
        if (record.Status == ToolCallStatus.Succeeded)
        {
            await ledger.RecordAsync(new ToolLedgerEntry(key, record.Tool, record.Arguments, record.Result, record.Status, request.Context.Time.GetUtcNow()), CancellationToken.None);
        }

        return record;
    }
}
