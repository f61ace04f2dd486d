using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cadre.Observability;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> through which Cadre reports what agents, tools and
/// workflows do. Both are named <c>Cadre</c>, so an OpenTelemetry pipeline picks them up with
/// <c>AddSource("Cadre")</c> and <c>AddMeter("Cadre")</c>. Spans follow the OpenTelemetry GenAI conventions
/// (<c>invoke_agent {agent}</c>, <c>execute_tool {tool}</c>); model calls are traced once, by Microsoft.Extensions.AI's
/// OpenTelemetry chat client under the same name unless the caller's model already has one, which also records
/// <c>gen_ai.client.token.usage</c> and <c>gen_ai.client.operation.duration</c>.
/// </summary>
public static class CadreTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Cadre</c>.</summary>
    public const string Name = "Cadre";

    /// <summary>Activities for runs, steps, agent turns and tool calls.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(CadreTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Counters and histograms for turns, tool calls and tokens.</summary>
    public static readonly Meter Meter = new(Name, typeof(CadreTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Number of agent turns, tagged with <c>cadre.agent</c>.</summary>
    public static readonly Counter<long> AgentTurns = Meter.CreateCounter<long>("cadre.agent.turns", description: "Agent turns completed.");

    /// <summary>Number of tool calls, tagged with <c>cadre.tool</c> and <c>cadre.tool.status</c>.</summary>
    public static readonly Counter<long> ToolCalls = Meter.CreateCounter<long>("cadre.tool.calls", description: "Tool calls made by agents.");

    /// <summary>Duration of tool calls in seconds (the conventions' unit for durations), tagged with <c>cadre.tool</c>
    /// and <c>cadre.tool.status</c>.</summary>
    public static readonly Histogram<double> ToolDuration = Meter.CreateHistogram<double>("cadre.tool.duration", unit: "s", description: "Duration of tool calls.");

    /// <summary>Workflow steps completed, tagged with <c>cadre.workflow</c>.</summary>
    public static readonly Counter<long> Steps = Meter.CreateCounter<long>("cadre.workflow.steps", description: "Workflow steps completed.");
}
