namespace Cadre.Orleans;

/// <summary>What a run's grain is doing.</summary>
/// <param name="RunId">The run's id, which is the grain's key.</param>
/// <param name="Silo">The silo the grain is active on (its address).</param>
/// <param name="Driving">True while this activation drives the run; false once it ended, stopped or was left to
/// another holder.</param>
/// <param name="LastOutcome">How the activation's last drive ended (<c>completed</c>, <c>failed</c>, <c>held by process
/// 42 on host h</c>, the error), or null while it has not ended.</param>
[GenerateSerializer]
[Alias("Cadre.Orleans.RunActivity")]
public sealed record RunActivity([property: Id(0)] string RunId, [property: Id(1)] string Silo, [property: Id(2)] bool Driving, [property: Id(3)] string? LastOutcome);
