using Cadre.Agents;
using Cadre.Hosting;
using Cadre.Testing;
using Cadre.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task A_host_that_adds_Cadre_exports_through_its_own_environment_and_flushes_when_the_container_is_disposed()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "desk-host",
        };
        var services = new ServiceCollection().AddCadre(o => o.GetEnvironmentVariable = name => environment.GetValueOrDefault(name));
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<RunHost>();
            Assert.True(provider.GetRequiredService<TelemetryExport>().IsExporting);
            var agent = new Agent("host-probe", new ScriptedChatClient([ScriptedReply.Say("ok")]), "x");
            await agent.RunAsync("go");
        }

        Assert.Contains(collector.Spans, s => s.Name == "invoke_agent host-probe");
        Assert.Contains("desk-host", collector.ServiceNames);
    }

    [Fact]
    public async Task An_endpoint_OTLP_cannot_use_is_a_clear_error_before_anything_runs()
    {
        var result = await CliRunner.RunAsync(_dir.Path, new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "localhost 4318" }, default, "runs", "--workspace", _dir.Combine("ws"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https address", result.Error, StringComparison.Ordinal);
        Assert.False(TelemetryExport.FromEnvironment(_ => null).IsExporting);
    }
}
