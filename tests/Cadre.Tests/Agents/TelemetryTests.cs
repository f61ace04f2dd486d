using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Testing;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Agents;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Agent_turns_tool_calls_and_model_calls_are_traced_under_the_Cadre_source_and_counted()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CadreTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var calls = 0L;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CadreTelemetry.Name && instrument.Name == "cadre.tool.calls")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "cadre.tool", Value: "telemetry_probe" })
                {
                    Interlocked.Add(ref calls, value);
                }
            }
        });
        meters.Start();

        var model = new ScriptedChatClient([ScriptedReply.Call("telemetry_probe", new { }), ScriptedReply.Say("done")]);
        var agent = new Agent("observer", model, "x").WithTools(AIFunctionFactory.Create(() => "ok", "telemetry_probe"));
        await agent.RunAsync("go");

        List<Activity> mine;
        lock (activities)
        {
            mine = activities.Where(a => a.GetTagItem("gen_ai.agent.name") as string == "observer" || a.GetTagItem("gen_ai.tool.name") as string == "telemetry_probe" || a.OperationName.StartsWith("chat", StringComparison.Ordinal)).ToList();
        }

        var turn = Assert.Single(mine, a => a.DisplayName == "invoke_agent observer");
        var tool = Assert.Single(mine, a => a.DisplayName == "execute_tool telemetry_probe");
        Assert.Equal(turn.SpanId, tool.ParentSpanId);
        Assert.Equal("Succeeded", tool.GetTagItem("cadre.tool.status"));
        Assert.True(mine.Count(a => a.ParentSpanId == turn.SpanId && a.GetTagItem("gen_ai.operation.name") as string == "chat") >= 2);
        Assert.True(Interlocked.Read(ref calls) >= 1);
    }
}
