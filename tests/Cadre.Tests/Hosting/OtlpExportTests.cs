using Cadre.Tests.Support;

namespace Cadre.Tests.Hosting;

/// <summary>OTEL_EXPORTER_OTLP_ENDPOINT makes the real <c>cadre</c> process export its traces and metrics; an in-process
/// OTLP collector receives them.</summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cadre_run_exports_agent_tool_and_model_spans_and_metrics_by_the_GenAI_conventions()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        var model = "replay:" + Path.Combine(RepoPaths.SupportDesk, "support.cassette.json");

        using (var cli = CliProcess.Start(_dir.Path, environment, "run", RepoPaths.SupportDesk, RepoPaths.SupportDeskTask, "--model", model, "--workspace", _dir.Combine("ws")))
        {
            Assert.True(await cli.ExitAsync(TimeSpan.FromMinutes(3)) == 0, cli.Output);
        }

        var spans = collector.Spans.ToList();
        var run = Assert.Single(spans, s => s.Name.StartsWith("run ", StringComparison.Ordinal));
        var runId = Assert.IsType<string>(run.Attributes["cadre.run.id"]);
        var agents = spans.Where(s => s.Name.StartsWith("invoke_agent ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(agents);
        Assert.All(agents, a =>
        {
            Assert.Equal("invoke_agent", a.Attributes["gen_ai.operation.name"]);
            Assert.Equal(a.Name["invoke_agent ".Length..], a.Attributes["gen_ai.agent.name"]);
            Assert.Equal(runId, a.Attributes["gen_ai.conversation.id"]);
            Assert.Equal(run.TraceId, a.TraceId);
        });
        var tools = spans.Where(s => s.Name.StartsWith("execute_tool ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tools);
        Assert.All(tools, t => Assert.Contains(agents, a => a.SpanId == t.ParentSpanId));
        Assert.All(tools, t => Assert.Equal(t.Name["execute_tool ".Length..], t.Attributes["gen_ai.tool.name"]));
        var chats = spans.Where(s => Equals(s.Attributes.GetValueOrDefault("gen_ai.operation.name"), "chat")).ToList();
        Assert.NotEmpty(chats);
        Assert.All(chats, c => Assert.Contains(agents, a => a.SpanId == c.ParentSpanId));
        Assert.Contains("cadre", collector.ServiceNames);
        var metrics = collector.Metrics.ToList();
        Assert.Contains(("cadre.tool.duration", "s"), metrics);
        Assert.Contains(metrics, m => m.Name == "cadre.agent.turns");
        Assert.DoesNotContain(metrics, m => m.Name == "cadre.tokens");
    }
}
