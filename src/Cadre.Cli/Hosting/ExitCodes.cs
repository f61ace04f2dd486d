namespace Cadre.Cli.Hosting;

/// <summary>The exit codes of the <c>cadre</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked: the run completed, the call succeeded, the list was printed.</summary>
    public const int Done = 0;

    /// <summary>The run (or the tool call) failed; the reason is printed.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: unknown command or option, a malformed spec or model, a missing file.</summary>
    public const int BadUsage = 2;
}
