using Cadre.Agents;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Testing;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Resilience;

/// <summary>Tools are retried only when a retry cannot repeat an effect.</summary>
public sealed class ResilientFunctionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EventLog _events = new();

    private ResilienceOptions Options => new() { Time = _time, Observer = _events, Retry = new RetryOptions { MaxRetries = 2, UseJitter = false } };

    private static AIFunction Tool(string name, Func<int, object> body, SideEffects effects)
    {
        var calls = 0;
        return AIFunctionFactory.Create(() => body(++calls), new AIFunctionFactoryOptions
        {
            Name = name,
            AdditionalProperties = effects == SideEffects.None ? null : new Dictionary<string, object?> { [ToolNames.SideEffectsKey] = effects },
        });
    }

    [Fact]
    public async Task A_read_only_tool_is_retried_on_a_transient_failure()
    {
        var tool = new ResilientFunction(Tool("search", n => n < 3 ? throw new TimeoutException("slow backend") : "found", SideEffects.None), Options);

        var result = await _time.DriveAsync(tool.InvokeAsync(new AIFunctionArguments()).AsTask());

        Assert.Equal("found", result?.ToString());
        Assert.Equal([1, 2], _events.Of<ToolCallRetrying>().Select(e => e.Attempt));
        Assert.Equal("search", _events.Of<ToolCallRetrying>()[0].Tool);
    }

    [Fact]
    public async Task A_side_effecting_tool_is_retried_only_when_the_call_never_reached_it()
    {
        var unreachable = new ResilientFunction(Tool("send_email", n => n < 2 ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused") : "sent", SideEffects.Irreversible), Options);
        var reset = new ResilientFunction(Tool("send_email", _ => throw new IOException("reset after sending"), SideEffects.Irreversible), Options);

        Assert.Equal("sent", (await _time.DriveAsync(unreachable.InvokeAsync(new AIFunctionArguments()).AsTask()))?.ToString());
        await Assert.ThrowsAsync<IOException>(() => reset.InvokeAsync(new AIFunctionArguments()).AsTask());
        Assert.Single(_events.Of<ToolCallRetrying>());
        Assert.Equal(SideEffects.Irreversible, ToolNames.SideEffectsOf(reset));
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_goes_straight_back_to_the_model()
    {
        var tool = new ResilientFunction(Tool("lookup", _ => throw new ArgumentException("no such invoice"), SideEffects.None), Options);
        var agent = new Agent("a", new ScriptedChatClient([ScriptedReply.Call("lookup", new { }), ScriptedReply.Say("not found")]), "A.").WithTools(tool);

        var response = await agent.RunAsync("find it");

        Assert.Equal(ToolCallStatus.InvalidArguments, response.ToolCalls.Single().Status);
        Assert.Empty(_events.Of<ToolCallRetrying>());
    }
}
