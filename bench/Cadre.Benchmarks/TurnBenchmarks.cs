using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Cadre.Agents;
using Cadre.Workspaces;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Cadre.Benchmarks;

/// <summary>
/// One agent turn with one tool call, side by side on the same zero-cost model (<see cref="OneCallModel"/>: a reply
/// with the call, then the answer): a hand-written loop, Microsoft.Extensions.AI's
/// <see cref="FunctionInvokingChatClient"/> (the baseline), Agent Framework's <see cref="ChatClientAgent"/>, and a
/// Cadre <see cref="Agent"/> on its default governed path — with no workspace, and in a run whose workspace (in
/// memory) takes the audit. Each benchmark runs in its own process, so JIT tiering does not favour whichever runs
/// late; BenchmarkDotNet reports each as the mean of its rounds.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class TurnBenchmarks
{
    private const int TurnsPerWorkspace = 256;

    private AIFunction _function = null!;
    private OneCallModel _model = null!;
    private IChatClient _functionInvoking = null!;
    private ChatOptions _chatOptions = null!;
    private ChatClientAgent _chatClientAgent = null!;
    private Agent _cadre = null!;
    private List<ChatMessage> _task = null!;
    private InMemoryWorkspace _workspace = null!;
    private int _turns;

    /// <summary>Builds the model, the tool and the four agents once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _function = AIFunctionFactory.Create((string invoiceId, int count) => $"{invoiceId}:{count}", "lookup_invoice", "Look up an invoice.");
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"invoiceId":"INV-1001","count":2}""", AIJsonUtilities.DefaultOptions)!;
        _model = new OneCallModel(arguments);
        _chatOptions = new ChatOptions { Tools = [_function] };
        _functionInvoking = new ChatClientBuilder(_model).UseFunctionInvocation().Build();
        _chatClientAgent = new ChatClientAgent(_model, instructions: "Answer billing questions.", name: "billing", tools: [_function]);
        _cadre = new Agent("billing", _model, "Answer billing questions.").WithTools(_function);
        _task = [new ChatMessage(ChatRole.User, "Is INV-1001 paid?")];
        _workspace = new InMemoryWorkspace();
    }

    /// <summary>A hand-written loop: model, tool, model.</summary>
    /// <returns>The answer.</returns>
    [Benchmark]
    public async Task<string> HandLoop()
    {
        var messages = new List<ChatMessage>(_task);
        while (true)
        {
            var response = await _model.GetResponseAsync(messages, _chatOptions);
            messages.AddRange(response.Messages);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0)
            {
                return response.Text;
            }

            var results = new List<AIContent>(calls.Count);
            foreach (var call in calls)
            {
                results.Add(new FunctionResultContent(call.CallId, await _function.InvokeAsync(new AIFunctionArguments(call.Arguments))));
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }
    }

    /// <summary>FunctionInvokingChatClient.</summary>
    /// <returns>The answer.</returns>
    [Benchmark(Baseline = true)]
    public async Task<string> FunctionInvoking() => (await _functionInvoking.GetResponseAsync(_task, _chatOptions)).Text;

    /// <summary>Agent Framework's ChatClientAgent (a new session per turn).</summary>
    /// <returns>The answer.</returns>
    [Benchmark]
    public async Task<string> ChatClientAgent() => (await _chatClientAgent.RunAsync(_task)).Text;

    /// <summary>A Cadre agent, default governed path, no workspace.</summary>
    /// <returns>The answer.</returns>
    [Benchmark]
    public async Task<string> CadreAgent() => (await _cadre.RunAsync(_task, null)).Text;

    /// <summary>A Cadre agent in a run step, default governed path, its audit in an in-memory workspace.</summary>
    /// <returns>The answer.</returns>
    [Benchmark]
    public async Task<string> CadreAgentAudited()
    {
        if (++_turns % TurnsPerWorkspace == 0)
        {
            _workspace = new InMemoryWorkspace();
        }

        var turn = new AgentTurnOptions { Context = new AgentContext { Agent = "billing", RunId = "bench", Step = _turns, Workspace = _workspace } };
        return (await _cadre.RunAsync(_task, turn)).Text;
    }
}
