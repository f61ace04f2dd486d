using System.Collections.Concurrent;
using Cadre.Observability;

namespace Cadre.Tests.Support;

/// <summary>An observer that keeps every event, for assertions.</summary>
public sealed class EventLog : IRunObserver
{
    private readonly ConcurrentQueue<RunEvent> _events = new();

    public IReadOnlyList<RunEvent> Events => _events.ToList();

    public IReadOnlyList<T> Of<T>() where T : RunEvent => _events.OfType<T>().ToList();

    public void OnEvent(RunEvent runEvent) => _events.Enqueue(runEvent);
}
