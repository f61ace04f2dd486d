namespace Cadre.Observability;

/// <summary>Ready-made observers: one that ignores every event, and one over a delegate.</summary>
public static class RunObserver
{
    /// <summary>An observer that ignores every event.</summary>
    public static IRunObserver None { get; } = new DelegateObserver(static _ => { });

    /// <summary>An observer that calls <paramref name="onEvent"/> for every event.</summary>
    public static IRunObserver From(Action<RunEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        return new DelegateObserver(onEvent);
    }

    private sealed class DelegateObserver(Action<RunEvent> onEvent) : IRunObserver
    {
        public void OnEvent(RunEvent runEvent) => onEvent(runEvent);
    }
}
