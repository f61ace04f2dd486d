using Microsoft.Extensions.AI;

namespace Cadre.Testing;

/// <summary>One recorded model call: who asked, what was sent, what came back.</summary>
/// <param name="Agent">The agent that made the call ("" outside an agent).</param>
/// <param name="Request">The messages sent, system messages included (matching ignores them, see <see cref="Cassette.KeyFor"/>).</param>
/// <param name="Response">The model's reply messages.</param>
/// <param name="InputTokens">Input tokens the model reported.</param>
/// <param name="OutputTokens">Output tokens the model reported.</param>
/// <param name="ModelId">The model that answered.</param>
public sealed record CassetteInteraction(
    string Agent,
    IReadOnlyList<ChatMessage> Request,
    IReadOnlyList<ChatMessage> Response,
    long InputTokens,
    long OutputTokens,
    string? ModelId);
