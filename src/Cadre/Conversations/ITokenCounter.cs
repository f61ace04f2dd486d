using Microsoft.Extensions.AI;

namespace Cadre.Conversations;

/// <summary>Counts the tokens a message costs when sent to a model.</summary>
public interface ITokenCounter
{
    /// <summary>Counts the tokens of a text.</summary>
    /// <returns>The number of tokens.</returns>
    int CountTokens(string text);

    /// <summary>Counts the tokens a message costs, including its per-message overhead, tool calls and results.</summary>
    /// <returns>The number of tokens.</returns>
    int CountTokens(ChatMessage message);
}
