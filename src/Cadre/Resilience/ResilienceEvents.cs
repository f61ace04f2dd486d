using Cadre.Observability;

namespace Cadre.Resilience;

/// <summary>Reports resilience events to whoever watches: the run on whose path the event happened (its
/// <see cref="CallerContext"/>) and the observer given in the options.</summary>
internal static class ResilienceEvents
{
    public static void Publish(IRunObserver? observer, TimeProvider time, Func<string, DateTimeOffset, RunEvent> create, CallerContext? caller = null)
    {
        var context = caller ?? CallerContext.Current;
        if (context is null && observer is null)
        {
            return;
        }

        var runEvent = create(context?.RunId ?? "", (context?.Time ?? time).GetUtcNow());
        context?.Observer.OnEvent(runEvent);
        if (observer is not null && !ReferenceEquals(observer, context?.Observer))
        {
            observer.OnEvent(runEvent);
        }
    }
}
