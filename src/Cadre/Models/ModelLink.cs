using Microsoft.Extensions.AI;

namespace Cadre.Models;

/// <summary>One model of a fallback chain: its spec and its client, or why it cannot serve.</summary>
/// <param name="Spec">The link's model as parsed from its part of the chain, with its level options.</param>
/// <param name="Client">The client; null when the link is not configured.</param>
/// <param name="Unavailable">Why the link cannot serve (an unset key, say); null when it can.</param>
public sealed record ModelLink(ModelSpec Spec, IChatClient? Client, string? Unavailable)
{
    /// <summary>True when the link has a client.</summary>
    public bool IsAvailable => Client is not null;
}
