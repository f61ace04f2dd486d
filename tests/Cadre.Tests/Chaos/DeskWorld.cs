using System.Collections.Concurrent;
using Cadre.Agents;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Chaos;

/// <summary>The world the chaos runs act on: tickets and emails, kept per run, with every execution counted by
/// idempotency key. Like the sample's tools, the ticket and email tools are idempotent on their natural key (a
/// ticket per subject, an email per content), the way real systems guard their own effects.</summary>
internal sealed class DeskWorld
{
    public ConcurrentDictionary<string, int> ExecutionsByKey { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<(string Run, string Effect), int> Effects { get; } = new();

    /// <summary>How often each side-effecting tool's body really ran, per run.</summary>
    public ConcurrentDictionary<(string Run, string Tool), int> BodyRuns { get; } = new();

    public IReadOnlyList<AIFunction> Tools() =>
    [
        AIFunctionFactory.Create((string query) => "C-1 John Carter", "search_customer"),
        AIFunctionFactory.Create((string invoiceId) => $"{invoiceId}: 49.00 USD charged twice", "lookup_invoice"),
        AIFunctionFactory.Create((string subject) => Effect("create_ticket", "ticket:" + subject, "T-1"), new AIFunctionFactoryOptions
        {
            Name = "create_ticket",
            AdditionalProperties = new Dictionary<string, object?> { [ToolNames.SideEffectsKey] = SideEffects.Reversible },
        }),
        AIFunctionFactory.Create((string to, string body) => Effect("send_email", "email:" + to + body, "queued"), new AIFunctionFactoryOptions
        {
            Name = "send_email",
            AdditionalProperties = new Dictionary<string, object?> { [ToolNames.SideEffectsKey] = SideEffects.Irreversible },
        }),
    ];

    /// <summary>The invoker every agent uses: the ledger around a counter of real executions.</summary>
    public IToolInvoker Invoker() => new LedgerToolInvoker(new CountingInvoker(this));

    public int EffectsOf(string run, string kind) => Effects.Where(e => e.Key.Run == run && e.Key.Effect.StartsWith(kind, StringComparison.Ordinal)).Sum(e => e.Value > 0 ? 1 : 0);

    private string Effect(string tool, string key, string result)
    {
        var run = AgentContext.Current?.RunId ?? "";
        BodyRuns.AddOrUpdate((run, tool), 1, (_, n) => n + 1);
        Effects.AddOrUpdate((run, key), 1, (_, n) => n); // a second identical effect changes nothing
        return result;
    }

    private sealed class CountingInvoker(DeskWorld world) : IToolInvoker
    {
        public async Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
        {
            var record = await DirectToolInvoker.Instance.InvokeAsync(request, cancellationToken);
            var tool = request.Tools.FirstOrDefault(t => t.Name == request.Call.Name);
            if (record.Status == ToolCallStatus.Succeeded && tool is not null && ToolNames.SideEffectsOf(tool) != SideEffects.None)
            {
                world.ExecutionsByKey.AddOrUpdate(request.IdempotencyKey, 1, (_, n) => n + 1);
            }

            return record;
        }
    }
}
