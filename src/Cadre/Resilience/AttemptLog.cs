namespace Cadre.Resilience;

/// <summary>
/// Collects the failed attempts made on one async path — a workflow step — so that when the step gives up, the dead
/// letter says what was tried. Resilient clients and fallback chains add to <see cref="Current"/>; a workflow starts
/// one per step with <see cref="Start"/>.
/// </summary>
public sealed class AttemptLog : IDisposable
{
    private static readonly AsyncLocal<AttemptLog?> CurrentLog = new();
    private readonly Lock _gate = new();
    private readonly List<CallAttempt> _attempts = [];
    private readonly AttemptLog? _previous;

    private AttemptLog(AttemptLog? previous)
    {
        _previous = previous;
    }

    /// <summary>The log of the async path, if one was started.</summary>
    public static AttemptLog? Current => CurrentLog.Value;

    /// <summary>The failed attempts recorded so far, in order.</summary>
    public IReadOnlyList<CallAttempt> Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.ToList();
            }
        }
    }

    /// <summary>Starts a log that is <see cref="Current"/> on this async path until disposed.</summary>
    public static AttemptLog Start()
    {
        var log = new AttemptLog(CurrentLog.Value);
        CurrentLog.Value = log;
        return log;
    }

    /// <summary>Adds an attempt to the current log, if there is one.</summary>
    public static void Record(CallAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (CurrentLog.Value is { } log)
        {
            lock (log._gate)
            {
                log._attempts.Add(attempt);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ReferenceEquals(CurrentLog.Value, this))
        {
            CurrentLog.Value = _previous;
        }
    }
}
