using System.Data.Common;
using System.Globalization;
using System.Text;
using Cadre.Memory;

namespace Cadre.Storage;

/// <summary>A <see cref="MemoryFilter"/> as SQL conditions on the <c>memories</c> table (alias <c>m</c>), for one
/// database. The conditions are the same in both; only the dialect's JSON operators and parameter prefix differ.</summary>
/// <param name="Prefix">The parameter prefix (<c>$</c> or <c>@</c>).</param>
/// <param name="Times">How the table keeps times.</param>
/// <param name="MetadataEquals">The condition that metadata key parameter <c>{0}</c> holds value parameter <c>{1}</c>
/// (both with their prefix).</param>
/// <param name="SourceField">The expression reading a top-level field <c>{0}</c> of the JSON source column as a
/// value comparable with <paramref name="TrustedValue"/>.</param>
/// <param name="TrustedValue">The SQL literal of <see cref="MemoryTrust.Trusted"/> as <paramref name="SourceField"/> reads it.</param>
internal sealed record MemoryFilterSql(char Prefix, IStoreTimes Times, string MetadataEquals, string SourceField, string TrustedValue)
{
    /// <summary>Appends the filter's conditions to <paramref name="where"/> (each starting with <c> AND</c>) and binds
    /// their parameters to <paramref name="command"/>; an empty filter appends nothing.</summary>
    public void Append(DbCommand command, StringBuilder where, MemoryFilter filter)
    {
        var i = 0;
        foreach (var (key, value) in filter.Metadata)
        {
            where.Append(" AND ").AppendFormat(CultureInfo.InvariantCulture, MetadataEquals, $"{Prefix}mk{i}", $"{Prefix}mv{i}");
            Add(command, $"mk{i}", key);
            Add(command, $"mv{i}", value);
            i++;
        }

        if (filter.CreatedAfter is { } after)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND m.created_at >= {Prefix}after");
            Add(command, "after", Times.Write(after));
        }

        if (filter.CreatedBefore is { } before)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND m.created_at < {Prefix}before");
            Add(command, "before", Times.Write(before));
        }

        if (filter.MinImportance is { } min)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND m.importance >= {Prefix}minImportance");
            Add(command, "minImportance", min);
        }

        if (filter.TrustedOnly)
        {
            // The source is JSON (MemorySource); rows written before trust was recorded are judged by their origin, as
            // MemorySource.Trust judges them.
            string Field(string name) => string.Format(CultureInfo.InvariantCulture, SourceField, name);
            where.Append(CultureInfo.InvariantCulture,
                $" AND ({Field("trust")} = {TrustedValue} OR ({Field("trust")} IS NULL AND {Field("kind")} IS NULL AND {Field("origin")} IN ('cli', 'import')))");
        }
    }

    private void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = Prefix + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
