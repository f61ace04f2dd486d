using Cadre.Agents;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Resilience;

/// <summary>The governed path retries a tool only when a retry cannot repeat an effect, and says so to the run.</summary>
public sealed class ToolRetryTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EventLog _events = new();

    private GovernedToolInvoker Invoker() => new(new GovernedToolOptions { Time = _time, DefaultRetries = 2, RetryDelay = TimeSpan.FromSeconds(1) });

    private static AIFunction Tool(string name, Func<int, object> body, SideEffects effects)
    {
        var calls = 0;
        return new ToolDescriptor { SideEffects = effects }.Attach(AIFunctionFactory.Create(() => body(++calls), name));
    }

    private Task<ToolCallRecord> CallAsync(GovernedToolInvoker invoker, AIFunction tool) =>
        _time.DriveAsync(invoker.InvokeAsync(ToolCalls.Request(tool.Name, "{}", [tool], ToolCalls.Run(time: _time, observer: _events)), CancellationToken.None));

    [Fact]
    public async Task A_read_only_tool_is_retried_on_a_transient_failure_and_the_run_is_told()
    {
        var tool = Tool("search", n => n < 3 ? throw new TimeoutException("slow backend") : "found", SideEffects.None);

        var record = await CallAsync(Invoker(), tool);

        Assert.Equal((ToolCallStatus.Succeeded, "found"), (record.Status, record.Result));
        Assert.Equal([1, 2], _events.Of<ToolCallRetrying>().Select(e => e.Attempt));
        Assert.Equal(("search", "tester"), (_events.Of<ToolCallRetrying>()[0].Tool, _events.Of<ToolCallRetrying>()[0].Agent));
    }

    [Fact]
    public async Task A_side_effecting_tool_is_retried_only_when_the_call_never_reached_it()
    {
        var unreachable = Tool("send_email", n => n < 2 ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused") : "sent", SideEffects.Irreversible);
        var reset = Tool("notify", _ => throw new IOException("reset after sending"), SideEffects.Irreversible);
        var invoker = Invoker();

        Assert.Equal("sent", (await CallAsync(invoker, unreachable)).Result);
        var failed = await CallAsync(invoker, reset);

        Assert.Equal(ToolCallStatus.Failed, failed.Status);
        Assert.Contains("reset after sending", failed.Result, StringComparison.Ordinal);
        Assert.Equal(["send_email"], _events.Of<ToolCallRetrying>().Select(e => e.Tool));
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_goes_straight_back_to_the_model()
    {
        var tool = Tool("lookup", _ => throw new ArgumentException("no such invoice"), SideEffects.None);
        var agent = new Agent("a", new ScriptedChatClient([ScriptedReply.Call("lookup", new { }), ScriptedReply.Say("not found")]), "A.").WithTools(tool);

        var response = await agent.RunAsync("find it");

        Assert.Equal(ToolCallStatus.InvalidArguments, response.ToolCalls.Single().Status);
        Assert.Empty(_events.Of<ToolCallRetrying>());
    }
}
