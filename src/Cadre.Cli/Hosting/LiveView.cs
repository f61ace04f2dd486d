using Cadre.Observability;
using Cadre.Tools;
using Cadre.Workflows;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>Shows a run as it happens, one line per event: which agent works, which tool it calls and with what
/// result, where the thread is handed.</summary>
internal sealed class LiveView(IAnsiConsole console) : IRunObserver
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void OnEvent(RunEvent runEvent)
    {
        lock (_gate)
        {
            switch (runEvent)
            {
                case AgentStepStarted e:
                    console.MarkupLine($"[bold blue]▶ step {e.Step} · {Markup.Escape(e.Agent)}[/]");
                    break;
                case ToolCallStarted e:
                    console.MarkupLine($"  [grey]→[/] {Markup.Escape(e.Tool)} [grey]{Markup.Escape(Shorten(e.Arguments, 100))}[/]");
                    break;
                case ToolCallFinished e:
                    var mark = e.Call.Succeeded ? "[green]✓[/]" : e.Call.Status == ToolCallStatus.Started ? "[yellow]…[/]" : "[red]✗[/]";
                    console.MarkupLine($"  {mark} {Markup.Escape(e.Call.Tool)} [grey]{Markup.Escape(StatusWord(e.Call))}{Markup.Escape(Shorten(e.Call.Result, 100))}[/]");
                    break;
                case ToolApprovalDecided e:
                    var verdict = e.Approved ? "[green]approved[/]" : e.Escalated ? "[red]denied and escalated[/]" : "[red]denied[/]";
                    console.MarkupLine($"  [grey]?[/] {Markup.Escape(e.Tool)} {verdict} [grey]by {Markup.Escape(e.Approver)}{(e.Reason is { Length: > 0 } reason ? ": " + Markup.Escape(Shorten(reason, 160)) : "")}[/]");
                    break;
                case HandedOff e:
                    console.MarkupLine($"  [yellow]⇢ handoff {Markup.Escape(e.From)} → {Markup.Escape(e.To)}[/][grey]: {Markup.Escape(Shorten(e.Note, 120))}[/]");
                    break;
                case RunNotice e:
                    console.MarkupLine($"[grey]{Markup.Escape(e.Text)}[/]");
                    break;
                default:
                    ResilienceView.Write(console, runEvent);
                    break;
            }
        }
    }

    /// <summary>Shortens a text to one line of at most <paramref name="max"/> characters.</summary>
    /// <param name="text">Any text; its lines are joined with single spaces.</param>
    /// <param name="max">The most characters returned, the ellipsis included; at least 1.</param>
    /// <returns>The joined text, cut with <c>…</c> when longer than <paramref name="max"/>.</returns>
    public static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static string StatusWord(ToolCallRecord call) => call.Status switch
    {
        ToolCallStatus.Succeeded => "",
        ToolCallStatus.Replayed => "(recorded) ",
        ToolCallStatus.Started => "(background job) ",
        _ => $"({call.Status}) ",
    };
}
