namespace Cadre.Memory;

/// <summary>Narrows reads and recall: metadata that must match exactly, a time window on creation, a minimum
/// importance. Empty parts do not filter.</summary>
public sealed record MemoryFilter
{
    /// <summary>The filter with no condition: every memory the scope sees passes.</summary>
    public static MemoryFilter None { get; } = new();

    /// <summary>Metadata every returned memory must carry with exactly these values.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Only memories created at or after this time.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only memories created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only memories at least this important.</summary>
    public double? MinImportance { get; init; }

    /// <summary>Only memories from trusted sources (<see cref="MemorySource.Trust"/>); a memory without a recorded
    /// source counts as untrusted.</summary>
    public bool TrustedOnly { get; init; }

    /// <summary>True when the filter has no condition.</summary>
    public bool IsEmpty => Metadata.Count == 0 && CreatedAfter is null && CreatedBefore is null && MinImportance is null && !TrustedOnly;

    /// <summary>A filter on one metadata value.</summary>
    public static MemoryFilter Where(string key, string value) => new() { Metadata = new Dictionary<string, string> { [key] = value } };

    /// <summary>True when <paramref name="record"/> passes the filter.</summary>
    public bool Matches(MemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var (key, value) in Metadata)
        {
            if (!record.Metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return (CreatedAfter is not { } after || record.CreatedAt >= after) &&
               (CreatedBefore is not { } before || record.CreatedAt < before) &&
               (MinImportance is not { } min || record.Importance >= min) &&
               (!TrustedOnly || record.Source?.Trust == MemoryTrust.Trusted);
    }
}
