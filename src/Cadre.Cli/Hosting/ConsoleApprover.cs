using Cadre.Tools;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>Asks the person at the terminal to approve a tool call: who calls what with which arguments, then
/// approve, deny, or deny and escalate. One question at a time, however many calls wait.</summary>
internal sealed class ConsoleApprover : IToolApprover, IDisposable
{
    /// <summary>The answers offered, in order.</summary>
    public static IReadOnlyList<string> Choices { get; } = ["Approve", "Deny", "Deny and escalate"];

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Func<string, IReadOnlyList<string>, CancellationToken, Task<string>> _ask;

    /// <summary>Asks on a Spectre console.</summary>
    /// <param name="console">A console a person answers at; its prompts need it to be interactive.</param>
    public ConsoleApprover(IAnsiConsole console)
        : this((question, choices, ct) => console.PromptAsync(new SelectionPrompt<string>().Title(question).AddChoices(choices), ct))
    {
    }

    /// <summary>Asks through a function (tests, other front ends).</summary>
    /// <param name="ask">Shows the question and the choices, returns the choice made.</param>
    public ConsoleApprover(Func<string, IReadOnlyList<string>, CancellationToken, Task<string>> ask)
    {
        ArgumentNullException.ThrowIfNull(ask);
        _ask = ask;
    }

    /// <inheritdoc />
    public void Dispose() => _one.Dispose();

    // One line per argument, each shortened on its own: a long argument cannot push another (the recipient after
    // pages of subject) out of the person's sight.
    private static string Arguments(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                var lines = new System.Text.StringBuilder();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    var value = property.Value.GetRawText();
                    var shown = LiveView.Shorten(value, 200);
                    lines.Append("\n  ").Append(LiveView.Shorten(property.Name, 60)).Append(": ").Append(shown)
                        .Append(shown.Length < value.Length ? $" ({value.Length:N0} characters)" : "");
                }

                return lines.ToString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return "\n  " + LiveView.Shorten(json, 400);
    }

    /// <inheritdoc />
    public async ValueTask<ToolApprovalResponseContent> DecideAsync(ToolApprovalRequestContent request, ToolApprovalContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var effects = context.Descriptor.SideEffects == SideEffects.None ? "" : $" ({context.Descriptor.SideEffects.ToString().ToLowerInvariant()} side effects)";
        var question = $"[yellow]approval needed[/]: [blue]{Markup.Escape(context.Caller.Agent)}[/] wants to call [bold]{Markup.Escape(context.Tool.Name)}[/]{effects}{Markup.Escape(Arguments(context.Arguments))}";
        await _one.WaitAsync(cancellationToken);
        try
        {
            var answer = await _ask(question, Choices, cancellationToken);
            return answer switch
            {
                "Approve" => ToolApprovals.Approve(request, "operator"),
                "Deny and escalate" => ToolApprovals.Deny(request, "operator", "the operator escalated it", escalate: true),
                _ => ToolApprovals.Deny(request, "operator", "the operator said no"),
            };
        }
        finally
        {
            _one.Release();
        }
    }
}
