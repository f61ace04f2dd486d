using System.Globalization;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Tools;
using Cadre.Workflows;
using Polly.CircuitBreaker;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>The live view's lines for what the resilience layer does: retries, circuit breakers, the degradation
/// level, failed and reassigned steps, heartbeats, escalations and dead letters.</summary>
internal static class ResilienceView
{
    /// <summary>Writes the line for an event, if it is one of these.</summary>
    /// <returns>True when the event was written; false for events other views write (steps, tool calls).</returns>
    public static bool Write(IAnsiConsole console, RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(console);
        var line = runEvent switch
        {
            ModelCallRetrying e => $"  [yellow]↻ retry[/] {Markup.Escape(e.Provider)} [grey]attempt {e.Attempt + 1} in {Seconds(e.Delay)}: {Markup.Escape(LiveView.Shorten(e.Error, 100))}[/]",
            ToolCallRetrying e => $"  [yellow]↻ retry[/] {Markup.Escape(e.Tool)} [grey]attempt {e.Attempt + 1} in {Seconds(e.Delay)}: {Markup.Escape(LiveView.Shorten(e.Error, 100))}[/]",
            CircuitStateChanged e => $"  {Circuit(e.State)} {Markup.Escape(e.Provider)}[grey]: {Markup.Escape(e.Reason)}[/]",
            DegradationChanged e => e.IsDown
                ? $"  [yellow]⇣ level {Markup.Escape(e.From?.Name ?? "full")} → {Markup.Escape(e.To.Name)}[/] [grey]({Markup.Escape(e.To.Model)}): {Markup.Escape(LiveView.Shorten(e.Reason, 140))}[/]"
                : $"  [green]⇡ level {Markup.Escape(e.From?.Name ?? "?")} → {Markup.Escape(e.To.Name)}[/] [grey]({Markup.Escape(e.To.Model)}): {Markup.Escape(e.Reason)}[/]",
            StepFailed e => $"  [red]✗ step {e.Step} · {Markup.Escape(e.Agent)} failed[/][grey]: {Markup.Escape(LiveView.Shorten(e.Error, 140))}[/]",
            TaskReassigned e => $"  [yellow]⇢ reassigned {Markup.Escape(e.From)} → {Markup.Escape(e.To)}[/][grey]: {Markup.Escape(LiveView.Shorten(e.Reason, 120))}[/]",
            AgentHeartbeat e => $"  [grey]♥ {Markup.Escape(e.Agent)} still working ({Seconds(e.Elapsed)}{(e.LastActivity is null ? "" : "; last: " + Markup.Escape(e.LastActivity))})[/]",
            EscalationRaised e => $"  [red]! escalated{(e.Request.Critical ? " (critical)" : "")}[/]: {Markup.Escape(e.Request.Reason)} [grey]→ {e.Outcome.Decision.ToString().ToLowerInvariant()}{(e.Outcome.By is null ? "" : " by " + Markup.Escape(e.Outcome.By))}[/]",
            TaskDeadLettered e => $"  [red]✉ dead-lettered as {Markup.Escape(e.Letter.Id)}[/] [grey]after {e.Letter.Attempts.Count} failed attempts; see: cadre dlq show {Markup.Escape(e.Letter.Id)}[/]",
            StepCompleted { Step.Level: { IsDegraded: true } level } => $"  [yellow]· served at {Markup.Escape(level.Name)}[/] [grey]({Markup.Escape(level.Model)})[/]",
            _ => null,
        };
        if (line is null)
        {
            return false;
        }

        console.MarkupLine(line);
        return true;
    }

    private static string Circuit(CircuitState state) => state switch
    {
        CircuitState.Open => "[red]⚡ circuit open[/]",
        CircuitState.HalfOpen => "[yellow]⚡ circuit half-open[/]",
        CircuitState.Isolated => "[red]⚡ circuit isolated[/]",
        _ => "[green]⚡ circuit closed[/]",
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
