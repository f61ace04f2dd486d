namespace Cadre.Orleans;

/// <summary>
/// One run on the cluster, keyed by its run id. Orleans keeps a single activation of it, so one silo drives the run at
/// a time; the run's lease and epoch in the workspace fence the rare moment when two activations exist. Calls return
/// at once: the run goes on in the grain's activation, checkpointed into the workspace after every step.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run, or — when the workspace already has a run with this id (the same submission sent
    /// twice, a client retrying) — continues it; a run already being driven here is left alone. Answers once a new
    /// run is recorded in the workspace, so an answered submission survives its silo.</summary>
    /// <param name="submission">The spec's name in the silo's specs folder, the task and the model.</param>
    /// <returns>What the grain is doing now.</returns>
    /// <exception cref="ArgumentException">The spec is not one this silo serves, or the task is empty.</exception>
    /// <exception cref="InvalidOperationException">The run could not start (its spec or tools do not load).</exception>
    Task<RunActivity> StartAsync(RunSubmission submission);

    /// <summary>Continues the run from its last checkpoint unless it is already being driven here (what a silo's
    /// sweeper calls for a run whose host died). A run whose lease another process still holds is left to it.</summary>
    /// <returns>What the grain is doing now.</returns>
    Task<RunActivity> ResumeAsync();

    /// <summary>Says what the grain is doing, without starting anything.</summary>
    /// <returns>What the grain is doing now.</returns>
    Task<RunActivity> GetActivityAsync();
}
