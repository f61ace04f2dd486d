using System.Runtime.InteropServices;
using System.Text.Json;
using Cadre.Memory;
using Cadre.Memory.Episodes;
using Cadre.Storage;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>Episodes in the workspace's SQLite file, with their embeddings as blobs.</summary>
public sealed class SqliteEpisodeStore : IEpisodeStore
{
    private const string Columns = "e.id, e.tenant, e.team, e.agent, e.task, e.task_type, e.agents, e.steps, e.outcome, e.result, e.lessons, " +
                                   "e.started_at, e.duration_ms, e.input_tokens, e.output_tokens, e.cost, e.recorded_at, e.embedding, e.embedding_model";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE episodes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL,
            tenant TEXT NOT NULL,
            team TEXT NOT NULL,
            agent TEXT NOT NULL,
            task TEXT NOT NULL,
            task_type TEXT NOT NULL,
            agents TEXT NOT NULL,
            steps TEXT NOT NULL,
            outcome TEXT NOT NULL,
            result TEXT NOT NULL,
            lessons TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            duration_ms REAL NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost TEXT,
            recorded_at INTEGER NOT NULL,
            embedding BLOB,
            embedding_model TEXT,
            UNIQUE (tenant, team, agent, id));
        CREATE INDEX episodes_by_time ON episodes(tenant, recorded_at DESC);
        """,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteDatabase _database;

    private SqliteEpisodeStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<SqliteEpisodeStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("episodes", Migrations, cancellationToken);
        return new SqliteEpisodeStore(database);
    }

    /// <inheritdoc />
    public async Task SaveAsync(Episode episode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, null, """
            INSERT INTO episodes(id, tenant, team, agent, task, task_type, agents, steps, outcome, result, lessons, started_at, duration_ms,
                                 input_tokens, output_tokens, cost, recorded_at, embedding, embedding_model)
            VALUES ($id, $t, $tm, $ag, $task, $type, $agents, $steps, $outcome, $result, $lessons, $started, $duration, $in, $out, $cost, $recorded, $embedding, $model)
            ON CONFLICT(tenant, team, agent, id) DO UPDATE SET
                task = excluded.task, task_type = excluded.task_type, agents = excluded.agents, steps = excluded.steps, outcome = excluded.outcome,
                result = excluded.result, lessons = excluded.lessons, started_at = excluded.started_at, duration_ms = excluded.duration_ms,
                input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost = excluded.cost, recorded_at = excluded.recorded_at,
                embedding = excluded.embedding, embedding_model = excluded.embedding_model;
            """, cancellationToken,
            ("$id", episode.Id), ("$t", episode.Scope.Tenant), ("$tm", episode.Scope.Team), ("$ag", episode.Scope.Agent),
            ("$task", episode.Task), ("$type", episode.TaskType), ("$agents", JsonSerializer.Serialize(episode.Agents, Json)),
            ("$steps", JsonSerializer.Serialize(episode.Steps, Json)), ("$outcome", episode.Outcome.ToString()), ("$result", episode.Result),
            ("$lessons", JsonSerializer.Serialize(episode.Lessons, Json)), ("$started", Sql.Time(episode.StartedAt)),
            ("$duration", episode.Duration.TotalMilliseconds), ("$in", episode.Usage.InputTokens), ("$out", episode.Usage.OutputTokens),
            ("$cost", episode.Cost?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("$recorded", Sql.Time(episode.RecordedAt)),
            ("$embedding", episode.Embedding.IsEmpty ? null : MemoryMarshal.AsBytes(episode.Embedding.Span).ToArray()),
            ("$model", episode.Embedding.IsEmpty ? null : episode.EmbeddingModel));
    }

    /// <inheritdoc />
    public async Task<Episode?> GetAsync(string id, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scope);
        var found = await QueryAsync($"e.id = $id AND {Sql.Visible("e")} ORDER BY e.recorded_at DESC LIMIT 1", scope, 1, cancellationToken, ("$id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Episode>> ListAsync(MemoryScope scope, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return QueryAsync($"{Sql.Visible("e")} ORDER BY e.recorded_at DESC, e.seq DESC LIMIT $limit", scope, limit, cancellationToken);
    }

    private async Task<IReadOnlyList<Episode>> QueryAsync(string where, MemoryScope scope, int limit, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null, $"SELECT {Columns} FROM episodes e WHERE {where};", parameters);
        command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        Sql.BindScope(command, scope);
        var episodes = new List<Episode>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            episodes.Add(Read(reader));
        }

        return episodes;
    }

    private static Episode Read(SqliteDataReader reader) =>
        EpisodeRows.Read(reader, UnixMillisecondTimes.Instance, "the workspace file", (r, i) => decimal.Parse(r.GetString(i), System.Globalization.CultureInfo.InvariantCulture), (r, i) => MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(i)).ToArray());
}
