using System.Globalization;
using Cadre.Workspaces;
using Npgsql;

namespace Cadre.Postgres;

/// <summary>
/// The workspace's PostgreSQL database: a pooled data source and each store's schema migrations. Like the SQLite
/// workspace, each store owns its tables and a schema version of its own in <c>cadre_schema</c>, so stores evolve
/// independently; a database that holds other tables but no <c>cadre_schema</c>, a damaged <c>cadre_schema</c>, or a
/// component newer than this Cadre is refused and left untouched.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    // Migrations of all components take this transaction-scoped advisory lock ("CADR"), so two hosts opening a new
    // database at once do not both create its tables.
    private const long MigrationLock = 0x43414452;

    private PostgresDatabase(NpgsqlDataSource dataSource, string name)
    {
        DataSource = dataSource;
        Name = name;
    }

    /// <summary>Opens connections to the database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Where the database is (<c>postgres://user@host:port/database</c>, never the password), for messages.</summary>
    public string Name { get; }

    /// <summary>Opens a workspace database, marking an empty one as a Cadre workspace.</summary>
    /// <param name="location">A <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <exception cref="WorkspaceException">The server cannot be reached, or the database is not a Cadre workspace or
    /// is damaged; it is left untouched.</exception>
    public static async Task<PostgresDatabase> OpenAsync(string location, CancellationToken cancellationToken = default)
    {
        var builder = PostgresConnectionString.Parse(location);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "cadre";
        }

        var name = PostgresConnectionString.Describe(builder);
        var dataSource = NpgsqlDataSource.Create(builder);
        var database = new PostgresDatabase(dataSource, name);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await PostgresCommands.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@lock);", cancellationToken, ("lock", MigrationLock));
            var marked = await PostgresCommands.ScalarAsync(connection, transaction, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'cadre_schema';", cancellationToken) == 1;
            var tables = await PostgresCommands.ScalarAsync(connection, transaction, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema();", cancellationToken);
            if (!marked && tables > 0)
            {
                throw new WorkspaceException($"{name} holds {tables} other table(s) and is not a Cadre workspace; it was left untouched. Point --workspace at an empty database.");
            }

            if (!marked)
            {
                await PostgresCommands.ExecuteAsync(connection, transaction, "CREATE TABLE cadre_schema (component text PRIMARY KEY, version integer NOT NULL CHECK (version >= 0));", cancellationToken);
            }

            await CheckShapeAsync(connection, transaction, name, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException and not PostgresException || ex is TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw new WorkspaceException($"Cannot reach the workspace database {name} ({ex.Message}). Is the server running, and may this user connect?", ex);
        }
        catch (PostgresException ex)
        {
            await dataSource.DisposeAsync();
            throw new WorkspaceException($"The workspace database {name} refused to open ({ex.MessageText}).", ex);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }

        return database;
    }

    /// <summary>Opens a pooled connection.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Brings a component's tables to the newest version: runs each migration after the recorded version, in
    /// one transaction with the new version number.</summary>
    /// <param name="component">The component (<c>runs</c>, <c>memory</c>, ...).</param>
    /// <param name="migrations">SQL scripts; script <c>i</c> brings the component from version <c>i</c> to <c>i+1</c>.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="WorkspaceException">The database was written by a newer Cadre.</exception>
    public async Task MigrateAsync(string component, IReadOnlyList<string> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(migrations);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@lock);", cancellationToken, ("lock", MigrationLock));
        var version = (int)await PostgresCommands.ScalarAsync(connection, transaction, "SELECT version FROM cadre_schema WHERE component = @c;", cancellationToken, ("c", component));
        if (version > migrations.Count)
        {
            throw new WorkspaceException($"{Name}: the {component} tables are at version {version}, newer than this Cadre knows ({migrations.Count}). Upgrade Cadre.");
        }

        for (var i = version; i < migrations.Count; i++)
        {
            await using var migrate = new NpgsqlCommand(migrations[i], connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        if (version < migrations.Count)
        {
            await PostgresCommands.ExecuteAsync(connection, transaction, """
                INSERT INTO cadre_schema(component, version) VALUES (@c, @v) ON CONFLICT (component) DO UPDATE SET version = excluded.version;
                """, cancellationToken, ("c", component), ("v", migrations.Count));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static async Task CheckShapeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, transaction, """
            SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_name) FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'cadre_schema';
            """);
        var shape = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(shape, "component text, version integer", StringComparison.Ordinal))
        {
            throw new WorkspaceException(string.Create(CultureInfo.InvariantCulture,
                $"{name} is damaged: its cadre_schema table has the columns ({shape}), not (component text, version integer); it was left untouched."));
        }
    }
}
