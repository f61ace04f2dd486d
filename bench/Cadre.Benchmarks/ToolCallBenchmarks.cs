using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Cadre.Agents;
using Cadre.Sqlite;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Benchmarks;

/// <summary>
/// The cost of one tool call, side by side in one process: the same <see cref="AIFunction"/> called directly, dispatched
/// by Microsoft.Extensions.AI's <see cref="FunctionInvokingChatClient"/> (the baseline: a model reply with one call,
/// then the final answer, from an in-process stub model), and through Cadre's governed path (permission, schema
/// validation, ledger, limits, resilience, audit) with the audit log and ledger in memory, and in a SQLite file.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 4, iterationCount: 15)]
public class ToolCallBenchmarks
{
    // Workspaces in memory are replaced every so many calls: the benchmark measures writing to the ledger and the audit
    // log, not a heap that grows for the whole run.
    private const int CallsPerWorkspace = 256;

    private AIFunction _function = null!;
    private AIFunction _governedTool = null!;
    private AIFunction _readOnlyTool = null!;
    private AIFunctionArguments _arguments = null!;
    private IChatClient _functionInvoking = null!;
    private ChatOptions _chatOptions = null!;
    private List<ChatMessage> _messages = null!;
    private GovernedToolInvoker _invoker = null!;
    private FunctionCallContent _call = null!;
    private InMemoryWorkspace _memory = null!;
    private SqliteWorkspace _sqlite = null!;
    private string _sqliteDirectory = null!;
    private int _index;
    private int _calls;

    /// <summary>Builds the function, the clients and the workspaces once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _function = AIFunctionFactory.Create((string invoiceId, int count) => $"{invoiceId}:{count}", "lookup_invoice", "Look up an invoice.");
        _governedTool = new ToolDescriptor { Category = "crm", SideEffects = SideEffects.Reversible }.Attach(_function);
        _readOnlyTool = new ToolDescriptor { Category = "crm" }.Attach(_function);
        var json = """{"invoiceId":"INV-1001","count":2}""";
        var parsed = JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions);
        _arguments = new AIFunctionArguments(parsed);
        _call = new FunctionCallContent("call_1", "lookup_invoice", parsed);
        _functionInvoking = new ChatClientBuilder(new OneCallModel(parsed!)).UseFunctionInvocation().Build();
        _chatOptions = new ChatOptions { Tools = [_function] };
        _messages = [new ChatMessage(ChatRole.User, "Is INV-1001 paid?")];
        _invoker = new GovernedToolInvoker();
        _memory = new InMemoryWorkspace();
        _sqliteDirectory = Path.Combine(Path.GetTempPath(), "cadre-bench-" + Guid.NewGuid().ToString("n")[..8]);
        _sqlite = SqliteWorkspace.OpenAsync(_sqliteDirectory).GetAwaiter().GetResult();
    }

    /// <summary>Removes the SQLite workspace.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_sqliteDirectory, recursive: true);
    }

    /// <summary>The function called directly.</summary>
    /// <returns>The result.</returns>
    [Benchmark]
    public ValueTask<object?> Direct() => _function.InvokeAsync(_arguments);

    /// <summary>FunctionInvokingChatClient dispatching the same call (model reply with the call, then the answer).</summary>
    /// <returns>The final response.</returns>
    [Benchmark(Baseline = true)]
    public Task<ChatResponse> FunctionInvokingChatClient() => _functionInvoking.GetResponseAsync(_messages, _chatOptions);

    /// <summary>The governed path for a side-effecting tool, audit log and ledger in memory (no approval, cache miss).</summary>
    /// <returns>The record.</returns>
    [Benchmark]
    public Task<ToolCallRecord> GovernedInMemory()
    {
        if (++_calls % CallsPerWorkspace == 0)
        {
            _memory = new InMemoryWorkspace();
        }

        return _invoker.InvokeAsync(Request(_memory, _governedTool), CancellationToken.None);
    }

    /// <summary>The governed path for a read-only tool (no ledger), audit log in memory.</summary>
    /// <returns>The record.</returns>
    [Benchmark]
    public Task<ToolCallRecord> GovernedReadOnlyInMemory()
    {
        if (++_calls % CallsPerWorkspace == 0)
        {
            _memory = new InMemoryWorkspace();
        }

        return _invoker.InvokeAsync(Request(_memory, _readOnlyTool), CancellationToken.None);
    }

    /// <summary>The governed path for a side-effecting tool, audit log and ledger in a SQLite file.</summary>
    /// <returns>The record.</returns>
    [Benchmark]
    public Task<ToolCallRecord> GovernedSqlite() => _invoker.InvokeAsync(Request(_sqlite, _governedTool), CancellationToken.None);

    private ToolCallRequest Request(IWorkspace workspace, AIFunction tool) =>
        new(new AgentContext { Agent = "billing", RunId = "bench", Step = 1, Workspace = workspace }, _call, [tool], ++_index);
}
