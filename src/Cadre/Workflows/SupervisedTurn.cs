using Cadre.Agents;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>
/// Runs one agent turn under supervision: a timeout on the whole turn, a heartbeat event at a steady interval while
/// it works (with what it last did), and — when a stall timeout is set — a stop when it shows no sign of progress
/// (no tool call, no retry, no progress report) for that long.
/// </summary>
internal static class SupervisedTurn
{
    public static async Task<AgentResponse> RunAsync(
        Agent agent,
        IReadOnlyList<ChatMessage> thread,
        AgentTurnOptions turn,
        TimeSpan timeout,
        TimeSpan heartbeat,
        TimeSpan? stall,
        CancellationToken cancellationToken)
    {
        var context = turn.Context ?? new AgentContext { Agent = agent.Name };
        var time = context.Time;
        var activity = new Activity(time);
        var watched = turn with
        {
            Context = context with
            {
                Observer = RunObserver.From(e =>
                {
                    activity.Saw(e);
                    context.Observer.OnEvent(e);
                }),
                Progress = new Progress(activity, context.Progress),
            },
        };
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var started = time.GetTimestamp();
        var stalled = false;
        var work = agent.RunAsync(thread, watched, linked.Token);
        using (var ticker = new PeriodicTimer(heartbeat, time))
        {
            while (!work.IsCompleted && !linked.IsCancellationRequested)
            {
                var tick = ticker.WaitForNextTickAsync(linked.Token).AsTask();
                await Task.WhenAny(work, tick);
                if (work.IsCompleted || linked.IsCancellationRequested)
                {
                    break;
                }

                context.Observer.OnEvent(new AgentHeartbeat(context.RunId, time.GetUtcNow(), context.Step, agent.Name, time.GetElapsedTime(started), activity.Last));
                if (stall is { } quiet && time.GetUtcNow() - activity.LastAt >= quiet)
                {
                    stalled = true;
                    await linked.CancelAsync();
                }
            }
        }

        try
        {
            return await work;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && (stalled || limit.IsCancellationRequested))
        {
            throw new AgentTimeoutException(stalled
                ? $"{agent.Name} showed no progress for {stall} (last: {activity.Last ?? "nothing"}) and was stopped"
                : $"{agent.Name} did not finish within {timeout}", ex);
        }
    }

    private sealed class Activity(TimeProvider time)
    {
        private readonly Lock _gate = new();

        public DateTimeOffset LastAt { get; private set; } = time.GetUtcNow();

        public string? Last { get; private set; }

        public void Saw(RunEvent runEvent)
        {
            var what = runEvent switch
            {
                ToolCallStarted e => e.Tool,
                ToolCallFinished e => e.Call.Tool + " done",
                ModelCallRetrying e => $"retrying {e.Provider}",
                DegradationChanged e => $"serving at {e.To.Name}",
                _ => null,
            };
            if (what is not null)
            {
                Note(what);
            }
        }

        public void Note(string what)
        {
            lock (_gate)
            {
                Last = what;
                LastAt = time.GetUtcNow();
            }
        }
    }

    private sealed class Progress(Activity activity, IProgress<string>? outer) : IProgress<string>
    {
        public void Report(string value)
        {
            activity.Note(value);
            outer?.Report(value);
        }
    }
}
