namespace Cadre.Runs;

/// <summary>The outcome of <see cref="IRunStore.ClaimAsync"/>: the run is now the caller's (under
/// <see cref="RunLease.Epoch"/>), or another holder's live lease was in the way.</summary>
/// <param name="Claimed">True when the caller now owns the run.</param>
/// <param name="Lease">The caller's new lease when claimed; the holder's lease otherwise.</param>
public sealed record RunClaim(bool Claimed, RunLease Lease);
