using System.Globalization;
using Cadre.Workspaces;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite;

/// <summary>
/// The workspace's SQLite file: opens connections (WAL, foreign keys, a busy timeout so several processes can share
/// it) and applies each store's schema migrations. Each store owns its tables and a schema version of its own in
/// <c>cadre_schema</c>, so stores evolve independently.
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>The SQLite <c>application_id</c> that marks a Cadre workspace file ("CADR").</summary>
    public const int ApplicationId = 0x43414452;

    private readonly string _connectionString;

    private SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file as given to <see cref="OpenAsync"/> (a workspace's is <c>cadre.db</c> in its folder).</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) a workspace database and checks that it is one.</summary>
    /// <exception cref="WorkspaceException">The file is damaged or not a Cadre workspace; it is left as it is.</exception>
    public static async Task<SqliteDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var database = new SqliteDatabase(System.IO.Path.GetFullPath(path));
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            // Read together, in one snapshot: another process creating the same workspace at this moment marks the file
            // as Cadre's before it creates any table, so a file with tables and no mark is never one being created.
            int applicationId, tables;
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT (SELECT application_id FROM pragma_application_id()), (SELECT count(*) FROM sqlite_master);";
                await using var row = await read.ExecuteReaderAsync(cancellationToken);
                await row.ReadAsync(cancellationToken);
                (applicationId, tables) = (row.GetInt32(0), row.GetInt32(1));
            }

            if (applicationId != ApplicationId && tables > 0)
            {
                throw new WorkspaceException($"{database.Path} is a SQLite file but not a Cadre workspace; it was left untouched. Point --workspace at another folder.");
            }

            if (applicationId != ApplicationId)
            {
                await Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA journal_mode = WAL;", cancellationToken);
            }

            await Execute(connection, "CREATE TABLE IF NOT EXISTS cadre_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);", cancellationToken);
            var check = (string?)await Scalar(connection, "PRAGMA quick_check;", cancellationToken);
            if (!string.Equals(check, "ok", StringComparison.OrdinalIgnoreCase))
            {
                throw new WorkspaceException($"{database.Path} is damaged ({check}); it was left untouched. Move it aside to start a new workspace.");
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            throw new WorkspaceException($"{database.Path} is damaged or not a database ({ex.Message}); it was left untouched. Move it aside to start a new workspace.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 14 or 8 or 23)
        {
            // CANTOPEN, READONLY, AUTH: the folder or file cannot be written, which SQLite reports without the path.
            throw new WorkspaceException($"{database.Path} cannot be opened for writing ({ex.Message}). Check that the folder exists and is writable by this user, or point --workspace at another folder.", ex);
        }

        return database;
    }

    /// <summary>Opens a connection with the workspace's settings.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await Execute(connection, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", cancellationToken);
        return connection;
    }

    /// <summary>Brings a component's tables to the newest version: runs each migration after the recorded version,
    /// in one transaction with the new version number.</summary>
    /// <param name="component">The component (<c>runs</c>, <c>memory</c>, ...).</param>
    /// <param name="migrations">SQL scripts; script <c>i</c> brings the component from version <c>i</c> to <c>i+1</c>.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="WorkspaceException">The file was written by a newer Cadre.</exception>
    public async Task MigrateAsync(string component, IReadOnlyList<string> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(migrations);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT version FROM cadre_schema WHERE component = $c;";
        read.Parameters.AddWithValue("$c", component);
        var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken) ?? 0, CultureInfo.InvariantCulture);
        if (version > migrations.Count)
        {
            throw new WorkspaceException($"{Path}: the {component} tables are at version {version}, newer than this Cadre knows ({migrations.Count}). Upgrade Cadre.");
        }

        for (var i = version; i < migrations.Count; i++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = migrations[i];
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        if (version < migrations.Count)
        {
            await using var write = connection.CreateCommand();
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO cadre_schema(component, version) VALUES ($c, $v) ON CONFLICT(component) DO UPDATE SET version = excluded.version;";
            write.Parameters.AddWithValue("$c", component);
            write.Parameters.AddWithValue("$v", migrations.Count);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Closes the pooled connections to this file, so it can be moved or deleted.</summary>
    public void ReleaseConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
