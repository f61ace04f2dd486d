namespace Cadre.Testing;

/// <summary>
/// What <see cref="Chaos"/> injects, with Polly's chaos strategies (Simmy): at <see cref="Rate"/>, model calls fail
/// (503, 500, 429 with Retry-After, a dropped connection, a timeout), hang, or come back empty or with a malformed
/// tool call; tool calls fail before they run. <see cref="Latency"/> slows every model call. With a
/// <see cref="Seed"/>, the same calls get the same faults every run.
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>The share of model and tool calls hit by a fault, from 0 to 1.</summary>
    public double Rate { get; init; }

    /// <summary>The share of tool calls that fail, if not <see cref="Rate"/>.</summary>
    public double? ToolRate { get; init; }

    /// <summary>The seed of the random choices; a different sequence every run when null.</summary>
    public int? Seed { get; init; }

    /// <summary>A latency added to every model call (demonstrations, crash tests), if any.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>Of the model faults, the share that are malformed replies rather than errors (default 0.2).</summary>
    public double MalformedShare { get; init; } = 0.2;

    /// <summary>Of the model faults, the share that hang for <see cref="HangLatency"/> — longer than any sensible
    /// timeout (default 0.1).</summary>
    public double HangShare { get; init; } = 0.1;

    /// <summary>How long a hanging call waits (default 10 minutes).</summary>
    public TimeSpan HangLatency { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate or share is outside 0..1, or a latency is negative.</exception>
    public void Validate()
    {
        static void Share(double value, string name)
        {
            if (double.IsNaN(value) || value < 0 || value > 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and 1.");
            }
        }

        Share(Rate, nameof(Rate));
        Share(ToolRate ?? 0, nameof(ToolRate));
        Share(MalformedShare, nameof(MalformedShare));
        Share(HangShare, nameof(HangShare));
        Share(MalformedShare + HangShare, "MalformedShare + HangShare");
        if (Latency < TimeSpan.Zero || HangLatency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), "Latencies cannot be negative.");
        }
    }
}
