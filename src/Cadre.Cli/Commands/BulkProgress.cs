using System.Diagnostics;
using Cadre.Cli.Hosting;
using Spectre.Console;

namespace Cadre.Cli.Commands;

/// <summary>
/// Shows long memory work to a person: a Spectre.Console progress bar with the rate and the time left when the
/// terminal is interactive, nothing extra otherwise (scripts read the final line). Ctrl+C cancels the work's token;
/// work already written stays.
/// </summary>
internal static class BulkProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports progress through the callback it is given: items done since
    /// the last call, and the total when it becomes known.</summary>
    public static async Task RunAsync(CliContext context, bool quiet, string description, int? total, Func<Action<int, int?>, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (quiet || !context.IsInteractive)
        {
            await work((_, _) => { }, cancellationToken);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        await context.CreateConsole().Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(description, maxValue: Math.Max(1, total ?? 1));
                var done = 0;
                await work((advance, newTotal) =>
                {
                    if (newTotal is { } known)
                    {
                        task.MaxValue = Math.Max(1, known);
                    }

                    done += advance;
                    task.Increment(advance);
                    task.Description = $"{description} ({MemoryImport.Rate(done / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-3))}/s)";
                }, cancellationToken);
                task.Value = task.MaxValue;
            });
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order (unlike
    /// <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    public sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
