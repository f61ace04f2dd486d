using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Cadre.Conversations;

/// <summary>
/// Counts tokens with the real tiktoken encodings of Microsoft.ML.Tokenizers (<c>o200k_base</c> for GPT-4o-class
/// models, <c>cl100k_base</c> for GPT-4/3.5). A message costs its content plus a fixed overhead, as in OpenAI's
/// chat format. Counts of a message instance are cached, so fitting a long history again and again stays cheap; a
/// message whose author, contents or their text or values were replaced since it was counted is counted again (what
/// changes inside a tool call's argument dictionary is not seen).
/// Long text is counted in pieces of at most <see cref="PieceLength"/> characters, cut at white space where there is
/// some: byte-pair encoding of one unbroken run costs time quadratic in its length, so a hostile megabyte without a
/// space would otherwise stall a run; cutting only where no space is near changes a count by a token or so per cut.
/// </summary>
public sealed class TokenCounter : ITokenCounter
{
    /// <summary>Tokens every message costs besides its content (role and separators).</summary>
    public const int MessageOverhead = 4;

    /// <summary>The longest piece of text counted at once.</summary>
    public const int PieceLength = 1024;

    private static readonly ConcurrentDictionary<string, TokenCounter> Shared = new(StringComparer.OrdinalIgnoreCase);
    private readonly Tokenizer _tokenizer;
    private readonly ConditionalWeakTable<ChatMessage, Counted> _cache = [];

    private TokenCounter(string encoding, Tokenizer tokenizer)
    {
        Encoding = encoding;
        _tokenizer = tokenizer;
    }

    /// <summary>The encoding's name (<c>o200k_base</c> or <c>cl100k_base</c>).</summary>
    public string Encoding { get; }

    /// <summary>The default counter: <c>o200k_base</c>.</summary>
    public static TokenCounter Default => ForEncoding("o200k_base");

    /// <summary>A counter for a tiktoken encoding (<c>o200k_base</c>, <c>cl100k_base</c>); instances are shared.</summary>
    public static TokenCounter ForEncoding(string encoding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoding);
        return Shared.GetOrAdd(encoding, static e => new TokenCounter(e, TiktokenTokenizer.CreateForEncoding(e)));
    }

    /// <summary>A counter for a model name (<c>gpt-4o</c>, <c>gpt-4</c>, ...). Models tiktoken does not know (local
    /// models) are counted with <c>o200k_base</c>, a close estimate.</summary>
    public static TokenCounter ForModel(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        try
        {
            var tokenizer = TiktokenTokenizer.CreateForModel(model);
            return Shared.GetOrAdd("model:" + model, _ => new TokenCounter(model, tokenizer));
        }
        catch (NotSupportedException)
        {
            return Default;
        }
    }

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (text.Length <= PieceLength)
        {
            return _tokenizer.CountTokens(text);
        }

        var tokens = 0;
        var span = text.AsSpan();
        while (span.Length > PieceLength)
        {
            // Cut before the last white space of the piece's second half (tiktoken's words start with their space),
            // else at the piece's end, never inside a surrogate pair.
            var cut = span[(PieceLength / 2)..PieceLength].LastIndexOfAny(" \n\t\r") is var space and >= 0 ? (PieceLength / 2) + space : PieceLength;
            if (cut == PieceLength && char.IsHighSurrogate(span[cut - 1]))
            {
                cut--;
            }

            tokens += _tokenizer.CountTokens(span[..cut]);
            span = span[cut..];
        }

        return tokens + _tokenizer.CountTokens(span);
    }

    /// <inheritdoc />
    public int CountTokens(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_cache.TryGetValue(message, out var counted) && counted.Describes(message))
        {
            return counted.Tokens;
        }

        counted = new Counted(message, Count(message));
        _cache.AddOrUpdate(message, counted);
        return counted.Tokens;
    }

    private int Count(ChatMessage message)
    {
        var tokens = MessageOverhead;
        if (message.AuthorName is { Length: > 0 } name)
        {
            tokens += CountTokens(name) + 1;
        }

        foreach (var content in message.Contents)
        {
            tokens += content switch
            {
                TextContent t => CountTokens(t.Text),
                FunctionCallContent c => CountTokens(c.Name) + CountTokens(ToolResults.FormatArguments(c)) + 3,
                FunctionResultContent r => CountTokens(ToolResults.Format(r.Result)) + 3,
                TextReasoningContent r => CountTokens(r.Text),
                _ => 0,
            };
        }

        return tokens;
    }

    // A message's count and what it was counted from: the author, and each content with the text or value counted.
    private sealed class Counted
    {
        private readonly string? _author;
        private readonly object?[] _parts;

        public Counted(ChatMessage message, int tokens)
        {
            Tokens = tokens;
            _author = message.AuthorName;
            var contents = message.Contents;
            _parts = new object?[contents.Count * 2];
            for (var i = 0; i < contents.Count; i++)
            {
                _parts[2 * i] = contents[i];
                _parts[(2 * i) + 1] = ValueOf(contents[i]);
            }
        }

        public int Tokens { get; }

        // True while the message holds what was counted (the same objects, compared by reference).
        public bool Describes(ChatMessage message)
        {
            var contents = message.Contents;
            if (!ReferenceEquals(_author, message.AuthorName) || _parts.Length != contents.Count * 2)
            {
                return false;
            }

            for (var i = 0; i < contents.Count; i++)
            {
                if (!ReferenceEquals(_parts[2 * i], contents[i]) || !ReferenceEquals(_parts[(2 * i) + 1], ValueOf(contents[i])))
                {
                    return false;
                }
            }

            return true;
        }

        private static object? ValueOf(AIContent content) => content switch
        {
            TextContent t => t.Text,
            FunctionCallContent c => c.Arguments,
            FunctionResultContent r => r.Result,
            TextReasoningContent r => r.Text,
            _ => null,
        };
    }
}
