using System.Runtime.CompilerServices;
using Cadre.Agents;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Chaos;

/// <summary>
/// A model that behaves like a careful support agent, decided by the conversation alone (so any level of a chain,
/// any retry and any resumed step answers the same way): triage looks the customer up and hands off to billing;
/// billing (and every worker) looks up the invoice, opens a ticket and emails the customer, retrying a failed tool
/// once and giving up after that; a lead assigns the task and answers once a worker reported.
/// </summary>
internal sealed class DeskModel : IChatClient
{
    // Call ids are unique across instances, as real providers' are: the levels of a chain answer the same thread.
    private static int _calls;

    private static readonly string[] WorkerPlan = ["lookup_invoice", "create_ticket", "send_email"];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var agent = AgentContext.Current?.Agent ?? "";
        var offered = options?.Tools?.Select(t => t.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var calls = list.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
        var results = list.SelectMany(m => m.Contents.OfType<FunctionResultContent>()).GroupBy(r => r.CallId).ToDictionary(g => g.Key, g => ToolResults.Format(g.First().Result));
        bool Ok(FunctionCallContent c) => results.TryGetValue(c.CallId, out var r) && !r.StartsWith("Error:", StringComparison.Ordinal);
        bool Failed(FunctionCallContent c) => results.TryGetValue(c.CallId, out var r) && r.StartsWith("Error:", StringComparison.Ordinal);

        string[] plan = agent switch
        {
            "triage" => ["search_customer"],
            "lead" => [],
            _ => WorkerPlan,
        };
        var skipped = new List<string>();
        foreach (var tool in plan)
        {
            if (calls.Any(c => c.Name == tool && Ok(c)))
            {
                continue;
            }

            if (!offered.Contains(tool) || calls.Count(c => c.Name == tool && Failed(c)) >= 2)
            {
                skipped.Add(tool);
                continue;
            }

            return Task.FromResult(Call(tool, Arguments(tool)));
        }

        if (agent == "triage" && offered.Contains("handoff"))
        {
            return Task.FromResult(Call("handoff", new Dictionary<string, object?> { ["to"] = "billing", ["note"] = "C-1 was charged twice for INV-1." }));
        }

        if (agent == "lead")
        {
            var report = list.LastOrDefault(m => m.Role == ChatRole.System && m.Text.Contains("reported on the task", StringComparison.Ordinal))
                ?? list.LastOrDefault(m => m.Role == ChatRole.System && m.Text.Contains("A person answered", StringComparison.Ordinal));
            if (report is null && offered.Contains("handoff"))
            {
                return Task.FromResult(Call("handoff", new Dictionary<string, object?> { ["to"] = "billing-a", ["note"] = "Refund the duplicate charge on INV-1." }));
            }

            return Task.FromResult(Say("Summary: " + (report?.Text ?? "no report")));
        }

        return Task.FromResult(Say(skipped.Count == 0 ? "Resolved: ticket opened and customer emailed." : "Partly resolved; could not " + string.Join(", ", skipped) + "."));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static Dictionary<string, object?> Arguments(string tool) => tool switch
    {
        "search_customer" => new() { ["query"] = "john@example.com" },
        "lookup_invoice" => new() { ["invoiceId"] = "INV-1" },
        "create_ticket" => new() { ["subject"] = "Refund duplicate charge on INV-1" },
        _ => new() { ["to"] = "john@example.com", ["body"] = "We refund the duplicate charge." },
    };

    private ChatResponse Call(string tool, Dictionary<string, object?> arguments) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call_{Interlocked.Increment(ref _calls)}", tool, arguments)]))
        {
            Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 10 },
        };

    private static ChatResponse Say(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 12 } };
}
