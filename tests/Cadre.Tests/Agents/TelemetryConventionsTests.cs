using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cadre.Agents;
using Cadre.Observability;
using Cadre.Testing;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Agents;

/// <summary>Spans and metrics by the OpenTelemetry GenAI conventions, each model call traced once.</summary>
public sealed class TelemetryConventionsTests
{
    private static (ActivityListener Listener, List<Activity> Stopped) Listen()
    {
        var stopped = new List<Activity>();
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CadreTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        return (listener, stopped);
    }

    private static List<Activity> Under(List<Activity> stopped, Activity root)
    {
        lock (stopped)
        {
            return stopped.Where(a => a.TraceId == root.TraceId).ToList();
        }
    }

    [Fact]
    public async Task A_model_the_caller_already_instrumented_is_traced_once_per_call()
    {
        var (listener, stopped) = Listen();
        using var _ = listener;
        var model = new ScriptedChatClient([ScriptedReply.Call("probe_once", new { }), ScriptedReply.Say("done")])
            .AsBuilder().UseOpenTelemetry(sourceName: CadreTelemetry.Name).Build();
        var agent = new Agent("traced-once", model, "x").WithTools(AIFunctionFactory.Create(() => "ok", "probe_once"));

        using (var root = new Activity("test-root").Start())
        {
            await agent.RunAsync("go");
            var mine = Under(stopped, root);
            var turn = Assert.Single(mine, a => a.DisplayName == "invoke_agent traced-once");
            Assert.Equal(2, mine.Count(a => a.GetTagItem("gen_ai.operation.name") as string == "chat"));
            Assert.All(mine.Where(a => a.GetTagItem("gen_ai.operation.name") as string == "chat"), a => Assert.Equal(turn.SpanId, a.ParentSpanId));
        }
    }

    [Fact]
    public async Task Agent_spans_name_the_agent_the_provider_and_the_conversation_and_failed_tools_set_error_status()
    {
        var (listener, stopped) = Listen();
        using var _ = listener;
        var model = new ScriptedChatClient([ScriptedReply.Call("breaks", new { }), ScriptedReply.Say("sorry")]);
        var agent = new Agent("conv", model, "x")
            .WithDescription("Answers questions.")
            .WithTools(AIFunctionFactory.Create(string () => throw new InvalidOperationException("disk full"), "breaks"));
        var turn = new AgentTurnOptions { Context = new AgentContext { Agent = "conv", RunId = "run-7", Step = 2 } };

        using (var root = new Activity("test-root").Start())
        {
            await agent.RunAsync([new ChatMessage(ChatRole.User, "go")], turn);
            var mine = Under(stopped, root);
            var span = Assert.Single(mine, a => a.DisplayName == "invoke_agent conv");
            Assert.Equal("invoke_agent", span.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("conv", span.GetTagItem("gen_ai.agent.id"));
            Assert.Equal("run-7", span.GetTagItem("gen_ai.conversation.id"));
            Assert.Equal("Answers questions.", span.GetTagItem("gen_ai.agent.description"));
            Assert.Equal("scripted", span.GetTagItem("gen_ai.provider.name"));
            var tool = Assert.Single(mine, a => a.DisplayName == "execute_tool breaks");
            Assert.Equal(ActivityStatusCode.Error, tool.Status);
            Assert.Equal("Failed", tool.GetTagItem("error.type"));
            Assert.Equal("function", tool.GetTagItem("gen_ai.tool.type"));
        }
    }

    [Fact]
    public async Task Tool_durations_are_in_seconds_and_tokens_are_counted_only_by_the_gen_ai_metric()
    {
        var instruments = new List<Instrument>();
        var durations = new List<double>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CadreTelemetry.Name)
            {
                lock (instruments) { instruments.Add(instrument); }
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (instrument.Name == "cadre.tool.duration" && tag is { Key: "cadre.tool", Value: "slow_probe" })
                {
                    lock (durations) { durations.Add(value); }
                }
            }
        });
        meters.Start();
        var model = new ScriptedChatClient([ScriptedReply.Call("slow_probe", new { }), ScriptedReply.Say("done")]);
        var agent = new Agent("timed", model, "x").WithTools(AIFunctionFactory.Create(() => "ok", "slow_probe"));

        await agent.RunAsync("go");

        lock (instruments)
        {
            Assert.Equal("s", Assert.Single(instruments, i => i.Name == "cadre.tool.duration").Unit);
            Assert.DoesNotContain(instruments, i => i.Name == "cadre.tokens");
            Assert.Contains(instruments, i => i.Name == "gen_ai.client.token.usage");
        }

        lock (durations)
        {
            // A call that returns at once takes far less than a second: a value in milliseconds would not.
            Assert.True(durations.Count >= 1 && durations.All(d => d is >= 0 and < 1), string.Join(", ", durations));
        }
    }

    [Fact]
    public async Task Listeners_that_arrive_after_the_agent_was_made_get_its_model_spans_and_gen_ai_metrics()
    {
        // Made while nothing may listen: calls no one observes skip the model's OpenTelemetry client, observed ones do not.
        var model = new ScriptedChatClient([ScriptedReply.Say("first"), ScriptedReply.Say("second"), ScriptedReply.Say("third")]);
        var agent = new Agent("late", model, "x").WithChatOptions(new ChatOptions { ModelId = "late-listener-model" });
        await agent.RunAsync("before anyone listens");

        var durations = 0;
        using var meters = new MeterListener();
        // Only the one instrument, by its name: what a collector of GenAI metrics across libraries would enable.
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "gen_ai.client.operation.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "gen_ai.request.model", Value: "late-listener-model" })
                {
                    Interlocked.Increment(ref durations);
                }
            }
        });
        meters.Start();
        await agent.RunAsync("metrics only");
        Assert.Equal(1, Volatile.Read(ref durations));

        var (listener, stopped) = Listen();
        using var _ = listener;
        using (var root = new Activity("test-root").Start())
        {
            await agent.RunAsync("go");
            Assert.Equal(1, Under(stopped, root).Count(a => a.GetTagItem("gen_ai.operation.name") as string == "chat"));
        }

        Assert.Equal(2, Volatile.Read(ref durations));
    }
}
