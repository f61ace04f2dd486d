using Cadre.Runs;
using Cadre.Workflows;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>Brings an escalation to the person at the terminal: shows the reason and asks whether to retry, answer
/// in their own words, or stop and record it.</summary>
/// <param name="console">The console the person answers at; it must be interactive, as the prompts wait for them.</param>
/// <param name="person">Who is at the terminal, recorded with their decision.</param>
internal sealed class TerminalEscalation(IAnsiConsole console, string person) : IEscalationHandler
{
    /// <summary>The choice that retries.</summary>
    public const string Retry = "retry";

    /// <summary>The choice that answers.</summary>
    public const string Answer = "answer";

    /// <summary>The choice that stops and records the escalation.</summary>
    public const string Stop = "stop";

    /// <inheritdoc />
    public async Task<EscalationOutcome> EscalateAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        console.WriteLine();
        console.MarkupLine($"[red bold]! run {Markup.Escape(escalation.RunId)} needs a decision{(escalation.Request.Critical ? " (critical)" : "")}[/]");
        console.MarkupLine($"  [grey]task:[/] {Markup.Escape(escalation.Task)}");
        console.MarkupLine($"  [grey]why:[/] {Markup.Escape(escalation.Request.Reason)}");
        var choice = await console.PromptAsync(
            new TextPrompt<string>($"[bold]{Retry}[/], [bold]{Answer}[/] it yourself, or [bold]{Stop}[/] and record it?")
                .AddChoices([Retry, Answer, Stop])
                .DefaultValue(Stop),
            cancellationToken);
        switch (choice)
        {
            case Retry:
                return EscalationOutcome.Retry;
            case Answer:
                var text = await console.PromptAsync(new TextPrompt<string>("Your answer:"), cancellationToken);
                return EscalationOutcome.Answered(text, person);
            default:
                return EscalationOutcome.Recorded;
        }
    }
}
