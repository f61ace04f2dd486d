using System.CommandLine;
using Cadre.Specs;
using Cadre.Testing;
using Cadre.Workflows;

namespace Cadre.Cli.Commands;

/// <summary>The reliability options of <c>cadre run</c> and <c>cadre resume</c>: chaos (<c>--chaos</c>,
/// <c>--seed</c>, <c>--chaos-latency</c>) and budgets (<c>--max-tokens</c>, <c>--max-cost</c>,
/// <c>--max-time</c>).</summary>
internal sealed class ReliabilityOptions
{
    private readonly Option<double?> _chaos = new("--chaos") { Description = "Inject faults (errors, hangs, empty replies, failing tools) into this share of model and tool calls, from 0 to 1." };
    private readonly Option<int?> _seed = new("--seed") { Description = "The seed of --chaos, so the same calls meet the same faults every run." };
    private readonly Option<int?> _latency = new("--chaos-latency") { Description = "Add this many milliseconds to every model call (demonstrations, crash tests)." };
    private readonly Option<long?> _maxTokens = new("--max-tokens") { Description = "Stop the run cleanly once it has used this many tokens (it can be resumed)." };
    private readonly Option<decimal?> _maxCost = new("--max-cost") { Description = "Stop the run cleanly once it has cost this much (needs workflow.price in the spec)." };
    private readonly Option<string?> _maxTime = new("--max-time") { Description = "Stop the run cleanly after this long: 90s, 5m, 1h." };

    /// <summary>Adds the chaos options to a command.</summary>
    /// <returns>This instance, so both sets can be added in one expression.</returns>
    public ReliabilityOptions AddChaosTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_chaos);
        command.Options.Add(_seed);
        command.Options.Add(_latency);
        return this;
    }

    /// <summary>Adds the budget options to a command.</summary>
    /// <returns>This instance, so both sets can be added in one expression.</returns>
    public ReliabilityOptions AddBudgetTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_maxTokens);
        command.Options.Add(_maxCost);
        command.Options.Add(_maxTime);
        return this;
    }

    /// <summary>The chaos the command line asks for, if any.</summary>
    /// <param name="parse">The parsed command line of a command the chaos options were added to.</param>
    /// <returns>Null when neither <c>--chaos</c> nor <c>--chaos-latency</c> is given.</returns>
    /// <exception cref="UsageException">A value is out of range, or <c>--seed</c> comes without chaos.</exception>
    public ChaosOptions? Chaos(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var rate = parse.GetValue(_chaos);
        var seed = parse.GetValue(_seed);
        var latency = parse.GetValue(_latency);
        if (rate is null && latency is null)
        {
            return seed is null ? null : throw new UsageException("--seed sets the seed of --chaos; add --chaos <rate>.");
        }

        if (rate is < 0 or > 1 || rate is double.NaN)
        {
            throw new UsageException($"--chaos is the share of calls that fail, from 0 to 1 (0.2 = 20%), not {rate}.");
        }

        if (latency < 0)
        {
            throw new UsageException($"--chaos-latency is a number of milliseconds, 0 or more, not {latency}.");
        }

        return new ChaosOptions { Rate = rate ?? 0, Seed = seed, Latency = latency is int ms ? TimeSpan.FromMilliseconds(ms) : null };
    }

    /// <summary>The budget the command line asks for, if any.</summary>
    /// <param name="parse">The parsed command line of a command the budget options were added to.</param>
    /// <returns>Null when no <c>--max-*</c> option is given.</returns>
    /// <exception cref="UsageException">A cap is not positive or a duration is malformed.</exception>
    public RunBudget? Budget(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var tokens = parse.GetValue(_maxTokens);
        var cost = parse.GetValue(_maxCost);
        var time = parse.GetValue(_maxTime);
        if (tokens is null && cost is null && time is null)
        {
            return null;
        }

        if (tokens <= 0 || cost <= 0)
        {
            throw new UsageException("--max-tokens and --max-cost must be positive.");
        }

        TimeSpan? wall = null;
        if (time is not null)
        {
            wall = SpecDurations.TryParse(time, out var parsed) ? parsed : throw new UsageException($"--max-time is a duration like 90s, 5m or 1h, not '{time}'.");
        }

        return new RunBudget { MaxTokens = tokens, MaxCost = cost, MaxWallTime = wall };
    }
}
