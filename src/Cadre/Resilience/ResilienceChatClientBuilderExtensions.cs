using Microsoft.Extensions.AI;

namespace Cadre.Resilience;

/// <summary>Adds Cadre's resilience decorators to a <see cref="ChatClientBuilder"/>.</summary>
public static class ResilienceChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="ResilientChatClient"/>: timeout per attempt, retries of transient failures with
    /// backoff and jitter (honouring Retry-After), and the provider's circuit breaker.</summary>
    /// <param name="builder">The pipeline to add to; the decorator wraps the clients added after it.</param>
    /// <param name="options">The settings; defaults when null.</param>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, ResilienceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ResilientChatClient(inner, options));
    }

    /// <summary>Adds a <see cref="ValidatingChatClient"/>: an empty reply, or non-JSON when JSON was asked for, becomes
    /// an <see cref="InvalidModelResponseException"/>. Put it after <see cref="UseResilience"/> so retries see it.</summary>
    /// <param name="builder">The pipeline to add to; the decorator wraps the clients added after it.</param>
    /// <param name="check">An extra check returning what is wrong with a reply, or null.</param>
    public static ChatClientBuilder UseResponseValidation(this ChatClientBuilder builder, Func<ChatResponse, ChatOptions?, string?>? check = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ValidatingChatClient(inner, check));
    }
}
