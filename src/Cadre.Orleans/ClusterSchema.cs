using Cadre.Postgres;
using Npgsql;

namespace Cadre.Orleans;

/// <summary>Creates, in the PostgreSQL workspace, the tables and queries Orleans' ADO.NET clustering needs
/// (<c>ClusterSchema.sql</c>). Idempotent, and safe when several hosts start at once.</summary>
public static class ClusterSchema
{
    // Not the workspace's own migration lock: the two kinds of setup do not wait for each other.
    private const long SetupLock = 0x4F524C4E; // "ORLN"

    /// <summary>The ADO.NET invariant of Npgsql, which Orleans loads the provider by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Creates the cluster's tables and queries in the <see cref="Schema"/> schema where missing, in one transaction.</summary>
    /// <param name="workspace">The workspace's <c>postgres://</c> URL or Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels the work; the transaction is then rolled back and nothing is created.</param>
    /// <exception cref="ArgumentException">The location is not a PostgreSQL one: a cluster of several hosts needs
    /// a shared database.</exception>
    public static async Task EnsureAsync(string workspace, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(workspace));
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SetupLock});", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(Script(), connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The schema the cluster's tables are in, beside the workspace's own.</summary>
    public const string Schema = "orleans";

    /// <summary>The Npgsql connection string the cluster uses for a workspace location: the same database, with the
    /// cluster's schema searched first.</summary>
    /// <param name="workspace">A <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <returns>An Npgsql connection string to the same database, its <c>Search Path</c> set to <see cref="Schema"/> and its application name to <c>cadre-cluster</c>.</returns>
    /// <exception cref="ArgumentException">The location is not a PostgreSQL one.</exception>
    public static string ConnectionString(string workspace)
    {
        if (!PostgresConnectionString.IsPostgres(workspace))
        {
            throw new ArgumentException($"A cluster shares a PostgreSQL workspace (postgres://user@host/db); '{workspace}' is not one.", nameof(workspace));
        }

        var builder = PostgresConnectionString.Parse(workspace);
        builder.SearchPath = Schema;
        builder.ApplicationName = "cadre-cluster";
        return builder.ConnectionString;
    }

    private static string Script()
    {
        using var stream = typeof(ClusterSchema).Assembly.GetManifestResourceStream("Cadre.Orleans.ClusterSchema.sql")
            ?? throw new InvalidOperationException("The cluster schema is missing from Cadre.Orleans.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
