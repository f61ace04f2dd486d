using System.Globalization;
using Npgsql;

namespace Cadre.Postgres;

/// <summary>Reads where a PostgreSQL workspace lives: a URL (<c>postgres://user:password@host:port/database?sslmode=require</c>)
/// or an Npgsql connection string (<c>Host=...;Database=...</c>).</summary>
public static class PostgresConnectionString
{
    /// <summary>True when <paramref name="location"/> names a PostgreSQL database rather than a workspace folder.</summary>
    /// <param name="location">A <c>--workspace</c> or <c>CADRE_WORKSPACE</c> value; null is not PostgreSQL.</param>
    /// <returns>True for a <c>postgres://</c> or <c>postgresql://</c> URL or a connection string with a host.</returns>
    public static bool IsPostgres(string? location) =>
        location is not null &&
        (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
         location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
         (location.Contains('=', StringComparison.Ordinal) && location.Contains("host", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Turns a URL or connection string into Npgsql's connection string builder.</summary>
    /// <param name="location">The URL or connection string.</param>
    /// <exception cref="ArgumentException">The location is neither.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (!location.Contains("://", StringComparison.Ordinal))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(location);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"'{Redact(location)}' is not a PostgreSQL connection string ({ex.Message}).", nameof(location), ex);
            }
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !IsPostgres(location) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(location)}' is not a PostgreSQL URL; write postgres://user@host:port/database.", nameof(location));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"'{Redact(location)}': unknown or bad setting '{key}' ({ex.Message}).", nameof(location), ex);
            }
        }

        return builder;
    }

    /// <summary>Where a database is, for messages: host, port and database, never the password.</summary>
    /// <returns><c>postgres://user@host:port/database</c>.</returns>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@";
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static string Redact(string location)
    {
        var at = location.IndexOf('@', StringComparison.Ordinal);
        var scheme = location.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && at > scheme ? location[..(scheme + 3)] + "***" + location[at..] :
            location.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(a connection string with a password)" : location;
    }
}
