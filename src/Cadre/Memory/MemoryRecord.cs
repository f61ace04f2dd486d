using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Cadre.Memory;

/// <summary>One long-term memory: a text with metadata, importance, provenance and (once stored) its embedding.</summary>
public sealed record MemoryRecord
{
    /// <summary>The memory's id (<c>m-</c> and 16 hex digits).</summary>
    public required string Id { get; init; }

    /// <summary>The scope it was written at, exactly; readers on that scope's line see it
    /// (<see cref="MemoryScope.Sees"/>).</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>The memory's text, trimmed, at most <see cref="LongTermMemory.MaxTextLength"/> characters; what
    /// keyword search and the embedding are made from.</summary>
    public required string Text { get; init; }

    /// <summary>Labels to filter by (<c>customer=C-1002</c>, <c>kind=preference</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>How much it matters, from 0 to 1 (default 0.5); recall can weigh it.</summary>
    public double Importance { get; init; } = 0.5;

    /// <summary>When it was first stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed (recall's recency weight uses this).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What wrote it, if known.</summary>
    public MemorySource? Source { get; init; }

    /// <summary>Its embedding (unit length) once embedded; empty before.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<float> Embedding { get; init; }

    /// <summary>The model that made <see cref="Embedding"/>; vector search only compares embeddings of one model.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>The fingerprint under which exact duplicates are recognised (see <see cref="FingerprintOf"/>).</summary>
    public string Fingerprint => FingerprintOf(Text);

    /// <summary>A new memory id.</summary>
    public static string NewId() => "m-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The fingerprint of a text: two texts are exact duplicates when they differ only in letter case and
    /// white space.</summary>
    /// <returns>A SHA-256 hex digest of the normalised text.</returns>
    public static string FingerprintOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normal = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                normal.Append(' ');
                space = false;
            }

            normal.Append(char.ToLowerInvariant(c));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal.ToString())));
    }
}
