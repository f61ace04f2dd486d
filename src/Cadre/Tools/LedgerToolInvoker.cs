using Cadre.Agents;
using Microsoft.Extensions.AI;

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
    public Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ledger = _ledger ?? request.Context.Workspace?.Ledger;
        AIFunction? tool = null;
        foreach (var candidate in request.Tools)
        {
            if (candidate.Name == request.Call.Name)
            {
                tool = candidate;
                break;
            }
        }

        return ledger is null || tool is null || ToolNames.SideEffectsOf(tool) == SideEffects.None || request.Context.RunId.Length == 0
            ? _inner.InvokeAsync(request, cancellationToken)
            : OnceAsync(ledger, request, (r, ct) => new ValueTask<ToolCallRecord>(_inner.InvokeAsync(r, ct)), cancellationToken).AsTask();
    }

    /// <summary>Makes a side-effecting call once per idempotency key: replays the recorded result if the ledger has
    /// one, else runs the call and records it when it succeeds.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="request">The call.</param>
    /// <param name="run">Makes the call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded or new outcome.</returns>
    internal static async ValueTask<ToolCallRecord> OnceAsync(IToolLedger ledger, ToolCallRequest request, Func<ToolCallRequest, CancellationToken, ValueTask<ToolCallRecord>> run, CancellationToken cancellationToken)
    {
        var key = request.IdempotencyKey;
        if (await ledger.FindAsync(key, cancellationToken) is { } entry && entry.Tool == request.Call.Name)
        {
            return new ToolCallRecord(request.Call.CallId, request.Call.Name, entry.Arguments, ToolCallStatus.Replayed, entry.Result, TimeSpan.Zero);
        }

        var record = await run(request, cancellationToken);
        if (record.Status == ToolCallStatus.Succeeded)
        {
            await ledger.RecordAsync(new ToolLedgerEntry(key, record.Tool, record.Arguments, record.Result, record.Status, request.Context.Time.GetUtcNow()), CancellationToken.None);
        }

        return record;
    }
}
