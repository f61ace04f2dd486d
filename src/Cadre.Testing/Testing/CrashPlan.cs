using System.Globalization;
using Cadre.Resilience;

namespace Cadre.Testing;

/// <summary>
/// A crash at one fault point: the <see cref="Occurrence"/>-th time the runtime reaches <see cref="Point"/>, the
/// process "dies" — by <see cref="CrashException"/> in a test, or for real (<see cref="KillProcess"/>: the process kills
/// itself, as <c>kill -9</c> would, which is what <c>CADRE_CRASH_AT=tool.after:2</c> makes <c>cadre</c> do). Chosen
/// from a seed, the same crash happens on every run, so a crash harness covers the windows between writes
/// deterministically instead of by timing.
/// </summary>
/// <param name="Point">The fault point (<see cref="FaultPoints"/>).</param>
/// <param name="Occurrence">Which arrival at it crashes, from 1.</param>
public sealed record CrashPlan(string Point, int Occurrence) : IFaultInjector
{
    private int _arrivals;

    /// <summary>True to kill this process instead of throwing.</summary>
    public bool KillProcess { get; init; }

    /// <summary>True once the crash happened.</summary>
    public bool Crashed => Volatile.Read(ref _arrivals) >= Occurrence;

    /// <summary>A plan drawn from a seed: one of <paramref name="points"/> (every point by default) and an arrival from 1
    /// to <paramref name="maxOccurrence"/>.</summary>
    /// <param name="seed">Any number; the same seed, points and maximum give the same plan.</param>
    /// <param name="points">The points to choose from.</param>
    /// <param name="maxOccurrence">The latest arrival to choose.</param>
    /// <returns>A plan that throws <see cref="CrashException"/> (<see cref="KillProcess"/> false).</returns>
    public static CrashPlan FromSeed(int seed, IReadOnlyList<string>? points = null, int maxOccurrence = 2)
    {
        points ??= FaultPoints.All;
        var random = new Random(seed);
        return new CrashPlan(points[random.Next(points.Count)], 1 + random.Next(Math.Max(1, maxOccurrence)));
    }

    /// <summary>Reads <c>point:occurrence</c> (<c>tool.after:2</c>), as <c>CADRE_CRASH_AT</c> gives it.</summary>
    /// <returns>A plan that throws <see cref="CrashException"/> (<see cref="KillProcess"/> false).</returns>
    /// <exception cref="FormatException">Not a known point and a positive number.</exception>
    public static CrashPlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        return parts.Length == 2 && FaultPoints.All.Contains(parts[0]) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? new CrashPlan(parts[0], n)
            : throw new FormatException($"'{text}' is not a crash point: write <point>:<n>, with a point among {string.Join(", ", FaultPoints.All)}.");
    }

    /// <inheritdoc />
    public void Reached(string point, string runId)
    {
        if (point != Point || Interlocked.Increment(ref _arrivals) != Occurrence)
        {
            return;
        }

        if (KillProcess)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            self.Kill();
        }

        throw new CrashException($"crash at {point} (arrival {Occurrence}) in run {runId}");
    }
}
