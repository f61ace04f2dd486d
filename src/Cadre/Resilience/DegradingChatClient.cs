using System.Runtime.CompilerServices;
using Cadre.Observability;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;

namespace Cadre.Resilience;

/// <summary>
/// A fallback chain with degradation levels, built on Microsoft.Extensions.AI's <see cref="FailoverChatClient"/>
/// (which owns invocation, streaming commitment and attempt reporting; this class owns which level to try). Each
/// call starts at the best level that is healthy — its circuit not open, not failed within
/// <see cref="DegradationOptions.RecoveryInterval"/> — and moves down a level on any failure (an error, a timeout,
/// an empty or malformed reply). A level that failed is tried first again once its recovery interval has passed, so
/// the chain climbs back when a better level recovers. Responses carry the level that served them
/// (<see cref="ServedLevel.Of"/>); changes of level are reported as <see cref="DegradationChanged"/> events.
/// </summary>
public sealed class DegradingChatClient : FailoverChatClient
{
    private readonly Slot[] _slots;
    private readonly DegradationOptions _options;
    private readonly ConditionalWeakTable<RoutingContext, Request> _requests = [];
    private readonly Lock _gate = new();
    private ServedLevel? _current;

    /// <summary>Creates the chain over its levels; the first call starts at the best one.</summary>
    /// <exception cref="ArgumentException">No level is given.</exception>
    /// <param name="levels">The levels, best first.</param>
    /// <param name="options">Recovery interval, clock, observer.</param>
    public DegradingChatClient(IReadOnlyList<DegradationLevel> levels, DegradationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0)
        {
            throw new ArgumentException("A fallback chain needs at least one level.", nameof(levels));
        }

        _options = options ?? new DegradationOptions();
        _slots = levels.Select((level, rank) =>
        {
            ArgumentNullException.ThrowIfNull(level);
            return new Slot(new LevelChatClient(level, new ServedLevel(level.Name, rank, level.Model)));
        }).ToArray();
        Levels = levels;
    }

    /// <summary>The levels, best first.</summary>
    public IReadOnlyList<DegradationLevel> Levels { get; }

    /// <summary>The level that answered the latest call, if any has.</summary>
    public ServedLevel? CurrentLevel
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>How each level stands now: its circuit and whether it is being passed over after a failure.</summary>
    public IReadOnlyList<LevelHealth> Health
    {
        get
        {
            var now = _options.Time.GetUtcNow();
            lock (_gate)
            {
                return _slots.Select(s => new LevelHealth(s.Client.Served, CircuitOf(s), s.PassedOverUntil > now ? s.PassedOverUntil : null, s.LastError)).ToList();
            }
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = _requests.GetOrCreateValue(context);
        var now = _options.Time.GetUtcNow();
        Slot? chosen = null;
        lock (_gate)
        {
            var untried = _slots.Where(s => !request.Tried.Contains(s)).ToList();

            // Healthy levels first; then levels still recovering from a failure rather than giving up; never a level
            // whose circuit is open (it would only refuse).
            chosen = untried.FirstOrDefault(s => !IsOpen(s) && s.PassedOverUntil <= now)
                ?? untried.FirstOrDefault(s => !IsOpen(s));
            foreach (var skipped in untried.TakeWhile(s => s != chosen).Where(s => !request.Skipped.Contains(s)))
            {
                request.Skipped.Add(skipped);
                var why = IsOpen(skipped) ? "skipped: its circuit is open" : $"skipped: recovering after a failure ({skipped.LastError})";
                request.Failures.Add(new CallAttempt(now, skipped.Client.Served.Model, skipped.Client.Served.Name, 0, why, nameof(BrokenCircuitException)));
            }

            if (chosen is not null)
            {
                request.Tried.Add(chosen);
            }
        }

        if (chosen is null)
        {
            throw Exhausted(request);
        }

        return ValueTask.FromResult<IChatClient>(chosen.Client);
    }

    /// <inheritdoc />
    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        var slot = _slots.First(s => ReferenceEquals(s.Client, attempt.Client));
        var request = _requests.GetOrCreateValue(context);
        var now = _options.Time.GetUtcNow();
        if (attempt.Exception is { } error && !(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var description = TransientFailures.Describe(error);
            lock (_gate)
            {
                slot.PassedOverUntil = now + _options.RecoveryInterval;
                slot.LastError = description;
                request.Failures.Add(new CallAttempt(now, slot.Client.Served.Model, slot.Client.Served.Name, 1, description, error.GetType().Name));
                request.LastError = error;
            }

            AttemptLog.Record(new CallAttempt(now, slot.Client.Served.Model, slot.Client.Served.Name, 1, "level failed: " + description, error.GetType().Name));
            return default;
        }

        if (!attempt.ResponseCompleted)
        {
            return default;
        }

        ServedLevel? previous;
        lock (_gate)
        {
            slot.PassedOverUntil = DateTimeOffset.MinValue;
            slot.LastError = null;
            previous = _current;
            _current = slot.Client.Served;
        }

        var served = slot.Client.Served;
        if (previous != served && (previous is not null || served.IsDegraded))
        {
            var reason = previous is not null && served.Rank < previous.Rank
                ? $"{served.Model} recovered"
                : string.Join("; ", request.Failures.Select(f => $"{f.Provider} {f.Error}"));
            ResilienceEvents.Publish(_options.Observer, _options.Time, (run, at) =>
                new DegradationChanged(run, at, CallerContext.Current?.Agent ?? "", previous, served, reason));
        }

        return default;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_options.LeaveOpen)
        {
            foreach (var slot in _slots)
            {
                slot.Client.Level.Client.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private static bool IsOpen(Slot slot) => CircuitOf(slot) is CircuitState.Open or CircuitState.Isolated;

    private static CircuitState CircuitOf(Slot slot) =>
        slot.Client.GetService<ResilientChatClient>()?.CircuitState ?? CircuitState.Closed;

    private static ModelUnavailableException Exhausted(Request request)
    {
        var failures = request.Failures.ToList();
        var message = "No model in the fallback chain could answer: " +
            string.Join("; ", failures.Select(f => $"{f.Level} ({f.Provider}): {f.Error}")) + ".";
        return request.LastError is null
            ? new ModelUnavailableException(message, failures, null)
            : new ModelUnavailableException(message, failures, request.LastError);
    }

    private sealed class Slot(LevelChatClient client)
    {
        public LevelChatClient Client { get; } = client;

        public DateTimeOffset PassedOverUntil { get; set; } = DateTimeOffset.MinValue;

        public string? LastError { get; set; }
    }

    private sealed class Request
    {
        public List<Slot> Tried { get; } = [];

        public List<Slot> Skipped { get; } = [];

        public List<CallAttempt> Failures { get; } = [];

        public Exception? LastError { get; set; }
    }
}
