using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Cadre.Cli.Hosting;

/// <summary>Where the <c>cadre</c> command runs: its output streams, folder, environment and clock. Tests run the
/// command in-process with their own context.</summary>
internal sealed record CliContext
{
    /// <summary>Where commands write what they were asked for: tables, JSON, the live view (standard output).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Where errors, warnings and build messages go, so scripts can read <see cref="Out"/> alone (standard error).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>The folder relative paths start from.</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Reads environment variables (<c>CADRE_WORKSPACE</c>, <c>CADRE_DEBUG</c>, model keys, the OTLP endpoint); the process's by default.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The clock commands read; a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>True when a person is at a terminal (colours, prompts); false for pipes, files and tests.</summary>
    public bool IsInteractive { get; init; }

    /// <summary>The context of this process: the real console.</summary>
    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        IsInteractive = !Console.IsOutputRedirected && !Console.IsInputRedirected,
    };

    /// <summary>A Spectre console writing to <see cref="Out"/>, with colours only when interactive.</summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = IsInteractive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsInteractive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsInteractive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!IsInteractive)
        {
            // Pipes and files have no width; do not wrap lines that scripts read.
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>Where the hosting library runs specs for this command: this folder, environment and clock; build
    /// messages on standard error (debug lines with <c>CADRE_DEBUG=1</c>); the person at the terminal approves tool
    /// calls when there is one.</summary>
    /// <returns>New options on each call.</returns>
    public CadreHostOptions HostOptions() => new()
    {
        CurrentDirectory = CurrentDirectory,
        GetEnvironmentVariable = GetEnvironmentVariable,
        Time = Time,
        Logger = new TextWriterLogger(Error, GetEnvironmentVariable("CADRE_DEBUG") is "1" or "true" ? LogLevel.Debug : LogLevel.Information),
        Approver = IsInteractive ? () => new ConsoleApprover(CreateConsole()) : null,
        ApproverDescription = "approvals: asked at the terminal",
    };

    /// <summary>Resolves a path against <see cref="CurrentDirectory"/>.</summary>
    /// <returns>The absolute path; an absolute <paramref name="path"/> comes back normalized, not moved.</returns>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
