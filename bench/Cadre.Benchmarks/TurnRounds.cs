using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cadre.Agents;
using Cadre.Tools;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Cadre.Benchmarks;

/// <summary>
/// The turn comparison of <see cref="TurnBenchmarks"/> interleaved in one process, for a shared, noisy machine: each
/// round runs every approach for the same number of turns one after the other, so load that comes and goes falls on
/// all of them, and the figures are each round's ratios (their median over the rounds, the first two left out for JIT
/// tiering). Run: <c>dotnet run -c Release --project bench/Cadre.Benchmarks -- turn-rounds [rounds]</c>.
/// </summary>
public static class TurnRounds
{
    private const int TurnsPerRound = 20_000;

    /// <summary>Runs the rounds and prints each round's times, the median ratios and the bytes each turn allocates.</summary>
    /// <param name="rounds">How many rounds (at least 3).</param>
    /// <returns>A task that completes when it has printed the figures.</returns>
    public static async Task RunAsync(int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 3);
        var function = AIFunctionFactory.Create((string invoiceId, int count) => $"{invoiceId}:{count}", "lookup_invoice", "Look up an invoice.");
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"invoiceId":"INV-1001","count":2}""", AIJsonUtilities.DefaultOptions)!;
        var model = new OneCallModel(arguments);
        var chatOptions = new ChatOptions { Tools = [function] };
        var functionInvoking = new ChatClientBuilder(model).UseFunctionInvocation().Build();
        var chatClientAgent = new ChatClientAgent(model, instructions: "Answer billing questions.", name: "billing", tools: [function]);
        var cadre = new Agent("billing", model, "Answer billing questions.").WithTools(function);
        var ungoverned = cadre.WithToolInvoker(DirectToolInvoker.Instance);
        List<ChatMessage> task = [new(ChatRole.User, "Is INV-1001 paid?")];
        (string Name, Func<Task> Turn)[] approaches =
        [
            ("FIC", () => functionInvoking.GetResponseAsync(task, chatOptions)),
            ("ChatClientAgent", () => chatClientAgent.RunAsync(task)),
            ("Cadre", () => cadre.RunAsync(task, null)),
            ("Cadre, tools ungoverned", () => ungoverned.RunAsync(task, null)),
        ];

        var times = approaches.ToDictionary(a => a.Name, _ => new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, turn) in approaches)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < TurnsPerRound; i++)
                {
                    await turn();
                }

                times[name].Add(watch.Elapsed.TotalMicroseconds / TurnsPerRound);
            }

            Console.WriteLine($"round {round,2}: " + string.Join("  ", approaches.Select(a => $"{a.Name} {times[a.Name][^1]:F2} µs")));
        }

        var bytes = new Dictionary<string, double>();
        foreach (var (name, turn) in approaches)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                await turn();
            }

            bytes[name] = (GC.GetAllocatedBytesForCurrentThread() - before) / 10_000.0;
        }

        foreach (var (name, _) in approaches)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-24} median {Median(times[name].Skip(2)):F2} µs, {bytes[name]:F0} B; ÷ ChatClientAgent {Median(Ratios(times, name, "ChatClientAgent")):F2} time, {bytes[name] / bytes["ChatClientAgent"]:F2} alloc; ÷ FIC {Median(Ratios(times, name, "FIC")):F2} time, {bytes[name] / bytes["FIC"]:F2} alloc"));
        }
    }

    // Each round's ratio, after the first two rounds.
    private static IEnumerable<double> Ratios(Dictionary<string, List<double>> times, string name, string baseline) =>
        times[name].Zip(times[baseline], (a, b) => a / b).Skip(2);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
