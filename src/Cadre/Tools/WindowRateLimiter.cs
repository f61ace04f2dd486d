using System.Threading.RateLimiting;

namespace Cadre.Tools;

/// <summary>
/// A fixed-window <see cref="RateLimiter"/> on a <see cref="TimeProvider"/>: at most <see cref="ToolRateLimit.Permits"/>
/// leases per window, the window starting with its first lease; no queue (a rejected lease carries
/// <see cref="MetadataName.RetryAfter"/>).
/// </summary>
/// <remarks>System.Threading.RateLimiting's own limiters read <c>Stopwatch</c> even when replenished by hand, so they
/// cannot follow an injected clock; this one can, which lets tests drive limits with <c>FakeTimeProvider</c>. It plugs
/// into Polly's rate-limiter strategy like any other <see cref="RateLimiter"/>.</remarks>
public sealed class WindowRateLimiter : RateLimiter
{
    private readonly Lock _gate = new();
    private readonly ToolRateLimit _limit;
    private readonly TimeProvider _time;
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _used;
    private long _successful;
    private long _failed;
    private DateTimeOffset _lastLease;

    /// <summary>Creates a limiter whose first window starts with its first lease.</summary>
    /// <param name="limit">How many leases per window.</param>
    /// <param name="time">The clock that starts and ends windows and computes <see cref="MetadataName.RetryAfter"/>.</param>
    public WindowRateLimiter(ToolRateLimit limit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(time);
        _limit = limit;
        _time = time;
        _lastLease = time.GetUtcNow();
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _time.GetUtcNow() - _lastLease;
            }
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics GetStatistics()
    {
        lock (_gate)
        {
            Roll(_time.GetUtcNow());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _limit.Permits - _used,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Roll(now);
            if (_used + permitCount <= _limit.Permits)
            {
                _used += permitCount;
                _successful++;
                _lastLease = now;
                return Lease.Granted;
            }

            _failed++;
            return new Lease(false, _windowStart + _limit.Window - now);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Roll(DateTimeOffset now)
    {
        if (now - _windowStart >= _limit.Window)
        {
            _windowStart = now;
            _used = 0;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
