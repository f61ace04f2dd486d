using Cadre.Cli;
using Cadre.Cli.Hosting;

namespace Cadre.Tests.Support;

/// <summary>Runs the cadre command in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public IReadOnlyList<string> Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
    }

    public static Task<Result> RunAsync(string currentDirectory, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default, params string[] args) =>
        RunAsync(currentDirectory, TimeProvider.System, environment, cancellationToken, args);

    /// <summary>Runs the command on a clock of the test's choosing (a FakeTimeProvider the test drives).</summary>
    public static async Task<Result> RunAsync(string currentDirectory, TimeProvider time, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            CurrentDirectory = currentDirectory,
            GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value)
                ? value
                : name is "OPENAI_API_KEY" or "OPENAI_BASE_URL" or "OLLAMA_HOST" ? null : Environment.GetEnvironmentVariable(name),
            IsInteractive = false,
            Time = time,
        };
        var code = await CadreApp.RunAsync(args, context, cancellationToken);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static Task<Result> RunAsync(string currentDirectory, params string[] args) => RunAsync(currentDirectory, null, default, args);
}
