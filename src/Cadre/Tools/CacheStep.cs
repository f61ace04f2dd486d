using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>Answers a call of a tool with a <see cref="ToolDescriptor.CacheTtl"/> from the result cache when the same
/// call (arguments in any order) succeeded within that time, and keeps successful results for the next one. A hit
/// costs the tool nothing, so it comes before limits and resilience.</summary>
internal sealed class CacheStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken) =>
        call.Tool() is { Descriptor.CacheTtl: not null } state ? CachedAsync(call, state, cancellationToken) : NextAsync(call, cancellationToken);

    private async ValueTask<ToolCallRecord> CachedAsync(GovernedCall call, ToolState state, CancellationToken cancellationToken)
    {
        var key = CanonicalArguments(call.Request.Call);
        if (Governance.Cache.TryGet(state.Tool.Name, key, out var cached))
        {
            call.Detail = "cache";
            return call.Record(ToolCallStatus.Replayed, cached);
        }

        var record = await NextAsync(call, cancellationToken);
        if (record.Status == ToolCallStatus.Succeeded)
        {
            Governance.Cache.Set(state.Tool.Name, key, record.Result, state.Descriptor.CacheTtl!.Value);
        }

        return record;
    }

    // Arguments in a canonical order, so the same call written two ways hits the same cache entry.
    private static string CanonicalArguments(FunctionCallContent call) =>
        call.Arguments is null or { Count: 0 }
            ? "{}"
            : JsonSerializer.Serialize(new SortedDictionary<string, object?>(call.Arguments, StringComparer.Ordinal), AIJsonUtilities.DefaultOptions);
}
