using System.Globalization;
using System.Text;
using Cadre.Memory.Knowledge;

namespace Cadre.Storage;

/// <summary>A <see cref="FactQuery"/> as SQL over the <c>facts</c> table (alias <c>f</c>), for one database. The
/// conditions are the same in both; only the parameter prefix, how a key is matched against a list and how a boolean
/// column is tested differ.</summary>
/// <param name="Prefix">The parameter prefix (<c>$</c> or <c>@</c>).</param>
/// <param name="Times">How the table keeps times.</param>
/// <param name="KeyIn">The condition that column <c>{0}</c> is one of the keys bound to <c>keys</c>.</param>
/// <param name="ObjectIsEntity">The condition that a fact's object is an entity.</param>
/// <param name="Keys">The entity keys as the <c>keys</c> parameter's value.</param>
internal sealed record FactQuerySql(char Prefix, IStoreTimes Times, string KeyIn, string ObjectIsEntity, Func<IReadOnlyCollection<string>, object> Keys)
{
    /// <summary>The condition (after <paramref name="visible"/>, the reader's scope rule), order and limit of a query,
    /// and its parameters (named without the prefix).</summary>
    public (string Where, (string Name, object? Value)[] Parameters) Build(FactQuery query, string visible)
    {
        var where = new StringBuilder(visible);
        var parameters = new List<(string, object?)>();
        if (query.Relation is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND f.relation = {Prefix}r");
            parameters.Add(("r", query.Relation));
        }

        if (query.At is { } at)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND f.valid_from <= {Prefix}at AND (f.valid_to IS NULL OR {Prefix}at < f.valid_to)");
            parameters.Add(("at", Times.Write(at)));
        }
        else if (!query.IncludeHistory)
        {
            where.Append(" AND f.valid_to IS NULL");
        }

        if (query.Entities is not null)
        {
            var subject = string.Format(CultureInfo.InvariantCulture, KeyIn, "f.subject_key");
            var @object = $"({ObjectIsEntity} AND {string.Format(CultureInfo.InvariantCulture, KeyIn, "f.object_key")})";
            where.Append(" AND ").Append(query.Direction switch
            {
                FactDirection.Outgoing => subject,
                FactDirection.Incoming => @object,
                _ => $"({subject} OR {@object})",
            });
            parameters.Add(("keys", Keys(query.Entities)));
        }

        where.Append(CultureInfo.InvariantCulture, $" ORDER BY f.valid_from, f.recorded_at, f.seq LIMIT {Prefix}limit");
        parameters.Add(("limit", Math.Max(0, query.Limit)));
        return (where.ToString(), [.. parameters]);
    }
}
