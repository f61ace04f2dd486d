using Microsoft.Extensions.Logging;

namespace Cadre.Cli.Hosting;

/// <summary>Writes the hosting path's log as plain lines to standard error, where <c>cadre</c> has always written
/// build messages; debug lines (MCP servers' own logs) only with <c>CADRE_DEBUG=1</c>.</summary>
/// <param name="writer">Where lines go (the command's standard error); the caller keeps it open.</param>
/// <param name="minimum">The lowest level written.</param>
internal sealed class TextWriterLogger(TextWriter writer, LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            writer.WriteLine(formatter(state, exception));
        }
    }
}
