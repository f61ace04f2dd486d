namespace Cadre.Observability;

/// <summary>Receives <see cref="RunEvent"/>s as a run progresses. Implementations must be quick and must not throw;
/// they are called on the run's own path.</summary>
public interface IRunObserver
{
    /// <summary>Called for every event of the run, in order.</summary>
    void OnEvent(RunEvent runEvent);
}
