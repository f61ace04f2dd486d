using System.Security.Cryptography;
using Polly.CircuitBreaker;

namespace Cadre.Resilience;

/// <summary>Decides which failures belong in the dead-letter queue and makes dead-letter ids.</summary>
public static class DeadLetters
{
    /// <summary>True when a failure means the models or tools were unavailable after every retry and fallback — a
    /// task worth keeping to retry later — rather than a mistake in the workflow or its configuration.</summary>
    /// <returns>Whether to dead-letter it.</returns>
    public static bool IsExhaustion(Exception? exception) =>
        exception is ModelUnavailableException or BrokenCircuitException || TransientFailures.IsTransient(exception);

    /// <summary>A new dead-letter id (<c>dl-</c> and 10 hex digits).</summary>
    public static string NewId() => "dl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
