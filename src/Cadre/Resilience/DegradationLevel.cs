using Microsoft.Extensions.AI;

namespace Cadre.Resilience;

/// <summary>
/// One level of a fallback chain and its limits: the model, whether tools are offered, the most output tokens, and a
/// note for the model. A typical chain: <c>full</c> (the best model with tools) → <c>reduced</c> (a smaller model) →
/// <c>minimal</c> (no tools) → <c>recorded</c> (recorded answers).
/// </summary>
/// <param name="Name">The level's name, shown in results and events.</param>
/// <param name="Client">The model at this level (usually a <see cref="ResilientChatClient"/>).</param>
public sealed record DegradationLevel(string Name, IChatClient Client)
{
    /// <summary>The name of the best level.</summary>
    public const string Full = "full";

    /// <summary>The name of a level with a smaller or cheaper model.</summary>
    public const string Reduced = "reduced";

    /// <summary>The name of a level that answers without tools.</summary>
    public const string Minimal = "minimal";

    /// <summary>The name of a level that plays recorded answers.</summary>
    public const string Recorded = "recorded";

    /// <summary>The model behind the level, for people (<c>openai:gpt-4o-mini</c>); the name when not set.</summary>
    public string Model { get; init; } = Name;

    /// <summary>Whether the agent's tools are offered at this level (default true).</summary>
    public bool ToolsEnabled { get; init; } = true;

    /// <summary>The most output tokens a call at this level may produce, if capped.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>A note sent to the model at this level as a system message (for a level without tools: to answer with
    /// what it knows and say what it could not check).</summary>
    public string? Note { get; init; }

    /// <summary>The note sent by default to a level without tools.</summary>
    public const string NoToolsNote = "Tools are unavailable right now. Answer with what you already know, and say plainly what you could not check or do.";
}
