using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// An <see cref="IToolInvoker"/> decorator that makes side-effecting calls happen once per idempotency key: a call
/// already in the ledger (a resumed run replaying its interrupted step) returns the recorded result with status
/// <see cref="ToolCallStatus.Replayed"/>; a new call runs and, when it succeeds, is recorded. The ledger is the
/// workspace's (<see cref="ToolCallContext.Ledger"/>) unless one is given.
/// </summary>
public sealed class LedgerToolInvoker : IToolInvoker
{
    private readonly IToolInvoker _inner;
    private readonly IToolLedger? _ledger;

    /// <summary>Puts the ledger in front of <paramref name="inner"/>; calls with no side effects, of a tool not among the agent's, outside a run or with no ledger go straight to it.</summary>
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
        var ledger = _ledger ?? request.Context.Ledger;
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
            : OnceAsync(ledger, request, ToolDescriptor.Of(tool).Idempotent, _inner, static (inner, r, ct) => new ValueTask<ToolCallRecord>(inner.InvokeAsync(r, ct)), null, cancellationToken).AsTask();
    }

    /// <summary>Makes a side-effecting call once per idempotency key: reserves the key (fenced by the run's epoch),
    /// replays the recorded outcome if the ledger has one for the same tool and arguments, else runs the call and
    /// records its outcome. A call reserved by an earlier owner and never recorded (outcome unknown) is made again
    /// under the same key only when the tool is idempotent or a person allowed it; otherwise
    /// <see cref="ToolOutcomeUnknownException"/>.</summary>
    /// <typeparam name="TState">What <paramref name="run"/> and <paramref name="ran"/> need, passed so they capture nothing.</typeparam>
    /// <param name="ledger">The ledger that reserves the key and records the outcome.</param>
    /// <param name="request">The call; its idempotency key, run id and epoch are used.</param>
    /// <param name="idempotent">True when the tool is idempotent on its key.</param>
    /// <param name="state">Passed to <paramref name="run"/> and <paramref name="ran"/>.</param>
    /// <param name="run">Makes the call, with the request as made (a key of its own when another call already holds the key).</param>
    /// <param name="ran">Told of a call that ran (under its key) and its outcome, before the ledger records it (the audit).</param>
    /// <param name="cancellationToken">Cancels the call; a call cancelled after its key was reserved stays pending (outcome unknown); the outcome is recorded uncancellably.</param>
    /// <returns>The recorded or new outcome.</returns>
    /// <exception cref="Cadre.Resilience.RunSupersededException">Another process owns the run now; the tool did not run.</exception>
    /// <exception cref="ToolOutcomeUnknownException">The outcome of an earlier attempt is unknown and may not be repeated.</exception>
    internal static async ValueTask<ToolCallRecord> OnceAsync<TState>(
        IToolLedger ledger,
        ToolCallRequest request,
        bool idempotent,
        TState state,
        Func<TState, ToolCallRequest, CancellationToken, ValueTask<ToolCallRecord>> run,
        Func<TState, ToolCallRequest, ToolCallRecord, ValueTask>? ran,
        CancellationToken cancellationToken)
    {
        var context = request.Context;
        var call = request.Call;
        var arguments = ToolResults.FormatArguments(call);
        var key = request.IdempotencyKey;
        var repeat = false;
        while (true)
        {
            var reservation = new ToolReservation(key, context.RunId, context.Epoch, call.Name, arguments, context.Time.GetUtcNow()) { Repeat = repeat };
            var reserved = await ledger.ReserveAsync(reservation, cancellationToken);
            var entry = reserved.Entry;
            if (reserved.Status is ToolReservationStatus.Completed or ToolReservationStatus.OutcomeUnknown
                && (entry!.Tool != call.Name || !SameArguments(entry.Arguments, arguments)))
            {
                // A different call under this key (a resumed model asked for something else): it gets a key of its own.
                key = $"{request.IdempotencyKey}~{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(call.Name + "\n" + arguments)))[..12]}";
                continue;
            }

            switch (reserved.Status)
            {
                case ToolReservationStatus.Completed when entry!.Status == ToolCallStatus.Started:
                    // A background job: its own store keeps it once per key (ToolJob.IdFor), and asking again gets its result.
                    break;
                case ToolReservationStatus.Completed:
                    return new ToolCallRecord(call.CallId, call.Name, entry!.Arguments, ToolCallStatus.Replayed, entry.Result, TimeSpan.Zero);
                case ToolReservationStatus.Superseded:
                    throw new Cadre.Resilience.RunSupersededException(context.RunId, context.Epoch, $"another process claimed it before {call.Name} ({key}) could run");
                case ToolReservationStatus.OutcomeUnknown when idempotent || context.RepeatUnknownOutcomes:
                    repeat = true;
                    continue;
                case ToolReservationStatus.OutcomeUnknown:
                    throw new ToolOutcomeUnknownException(entry!);
            }

            var made = request with { IsRepeat = repeat || request.IsRepeat, Key = key == request.IdempotencyKey ? request.Key : key };
            context.Faults?.Reached(Cadre.Resilience.FaultPoints.BeforeTool, context.RunId);
            var record = await run(state, made, cancellationToken);
            if (ran is not null)
            {
                await ran(state, made, record);
            }

            context.Faults?.Reached(Cadre.Resilience.FaultPoints.AfterTool, context.RunId);
            // Every outcome is recorded, failures too: the call's outcome is known, and a resumed step gets the same one.
            await ledger.RecordAsync(new ToolLedgerEntry(key, record.Tool, record.Arguments, record.Result, record.Status, context.Time.GetUtcNow())
            {
                RunId = context.RunId,
                Epoch = context.Epoch,
            }, CancellationToken.None);
            return record;
        }
    }

    /// <summary>Whether the ledger has completed this very call (same tool, same arguments) under its key, so it will be
    /// replayed rather than made: a call that needs approval is then not asked about again.</summary>
    /// <param name="ledger">The ledger to look the key up in.</param>
    /// <param name="request">The call; its idempotency key, tool name and arguments are compared.</param>
    /// <param name="arguments">The call's arguments as JSON.</param>
    /// <param name="cancellationToken">Cancels the lookup; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>True when the call will replay.</returns>
    internal static async ValueTask<bool> IsCompletedAsync(IToolLedger ledger, ToolCallRequest request, string arguments, CancellationToken cancellationToken) =>
        await ledger.FindAsync(request.IdempotencyKey, cancellationToken) is { IsPending: false, Status: not ToolCallStatus.Started } done
        && done.Tool == request.Call.Name && SameArguments(done.Arguments, arguments);

    // The same arguments written the same way: both sides are ToolResults.FormatArguments of parsed values, so equal
    // calls format equally; JSON is compared by value to be safe against spacing.
    private static bool SameArguments(string recorded, string arguments)
    {
        if (string.Equals(recorded, arguments, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(recorded), System.Text.Json.Nodes.JsonNode.Parse(arguments));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
