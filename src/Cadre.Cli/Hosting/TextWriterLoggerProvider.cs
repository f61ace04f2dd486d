using Microsoft.Extensions.Logging;

namespace Cadre.Cli.Hosting;

/// <summary>Writes a host's log (a silo's) to a text writer, one line per message, each after a prefix
/// (<c>serve: </c>).</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum, string prefix) : ILoggerProvider
{
    private readonly TextWriter _writer = TextWriter.Synchronized(new PrefixWriter(writer, prefix));

    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(_writer, minimum);

    public void Dispose()
    {
    }

    private sealed class PrefixWriter(TextWriter inner, string prefix) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void WriteLine(string? value)
        {
            inner.WriteLine(prefix + value);
            inner.Flush();
        }
    }
}
