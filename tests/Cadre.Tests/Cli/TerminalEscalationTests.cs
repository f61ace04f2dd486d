using Cadre.Cli.Hosting;
using Cadre.Runs;
using Cadre.Workflows;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cadre.Tests.Cli;

/// <summary>At a terminal, an escalation asks the person, shows why, and records who answered.</summary>
public sealed class TerminalEscalationTests
{
    private static readonly Escalation Escalation = new("r1", 3, "refund INV-1", new EscalationRequest("no capable worker could finish the task", Critical: true, "billing"));

    [Theory]
    [InlineData("retry\n", EscalationDecision.Retry)]
    [InlineData("stop\n", EscalationDecision.Recorded)]
    [InlineData("\n", EscalationDecision.Recorded)]
    public async Task The_person_decides_what_happens(string typed, EscalationDecision expected)
    {
        var (console, output) = Console(typed);

        var outcome = await new TerminalEscalation(console, "ops").EscalateAsync(Escalation, default);

        Assert.Equal(expected, outcome.Decision);
        Assert.Contains("needs a decision (critical)", output.ToString());
        Assert.Contains("no capable worker could finish the task", output.ToString());
    }

    [Fact]
    public async Task The_person_can_answer_in_their_own_words()
    {
        var (console, _) = Console("answer\nRefunded CH-2 by hand.\n");

        var outcome = await new TerminalEscalation(console, "ops").EscalateAsync(Escalation, default);

        Assert.Equal(EscalationOutcome.Answered("Refunded CH-2 by hand.", "ops"), outcome);
    }

    private static (IAnsiConsole Console, StringWriter Output) Console(string typed)
    {
        var output = new StringWriter();
        var inner = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
        });
        return (new TypingConsole(inner, new Keys(typed)), output);
    }

    /// <summary>A console whose keyboard types a given text.</summary>
    private sealed class TypingConsole(IAnsiConsole inner, IAnsiConsoleInput input) : IAnsiConsole
    {
        public Profile Profile => inner.Profile;

        public IAnsiConsoleCursor Cursor => inner.Cursor;

        public IAnsiConsoleInput Input => input;

        public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

        public RenderPipeline Pipeline => inner.Pipeline;

        public void Clear(bool home) => inner.Clear(home);

        public void Write(IRenderable renderable) => inner.Write(renderable);

        public void WriteAnsi(Action<AnsiWriter> action) => inner.WriteAnsi(action);
    }

    private sealed class Keys(string text) : IAnsiConsoleInput
    {
        private readonly Queue<char> _keys = new(text);

        public bool IsKeyAvailable() => _keys.Count > 0;

        public ConsoleKeyInfo? ReadKey(bool intercept)
        {
            if (_keys.Count == 0)
            {
                return null;
            }

            var c = _keys.Dequeue();
            return c == '\n' ? new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false) : new ConsoleKeyInfo(c, ConsoleKey.A, false, false, false);
        }

        public Task<ConsoleKeyInfo?> ReadKeyAsync(bool intercept, CancellationToken cancellationToken) => Task.FromResult(ReadKey(intercept));
    }
}
