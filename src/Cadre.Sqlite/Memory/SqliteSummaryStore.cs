using Cadre.Conversations;

namespace Cadre.Sqlite.Memory;

/// <summary>Conversation summaries in the workspace's SQLite file, next to the conversations.</summary>
public sealed class SqliteSummaryStore : ISummaryStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE conversation_summaries (
            conversation_id TEXT PRIMARY KEY,
            covered_groups INTEGER NOT NULL,
            covered_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at INTEGER NOT NULL);
        """,
    ];

    private readonly SqliteDatabase _database;

    private SqliteSummaryStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its table.</summary>
    public static async Task<SqliteSummaryStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("summaries", Migrations, cancellationToken);
        return new SqliteSummaryStore(database);
    }

    /// <inheritdoc />
    public async Task<ConversationSummary?> GetAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null,
            "SELECT covered_groups, covered_hash, text, updated_at FROM conversation_summaries WHERE conversation_id = $c;", ("$c", conversationId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ConversationSummary(conversationId, reader.GetInt32(0), reader.GetString(1), reader.GetString(2), Sql.Time(reader.GetInt64(3)))
            : null;
    }

    /// <inheritdoc />
    public async Task SaveAsync(ConversationSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, null, """
            INSERT INTO conversation_summaries(conversation_id, covered_groups, covered_hash, text, updated_at) VALUES ($c, $n, $h, $text, $at)
            ON CONFLICT(conversation_id) DO UPDATE SET covered_groups = excluded.covered_groups, covered_hash = excluded.covered_hash,
                text = excluded.text, updated_at = excluded.updated_at;
            """, cancellationToken,
            ("$c", summary.ConversationId), ("$n", summary.CoveredGroups), ("$h", summary.CoveredHash), ("$text", summary.Text), ("$at", Sql.Time(summary.UpdatedAt)));
    }
}
