using System.Text.Json;
using Cadre.Memory;
using Cadre.Storage;
using Cadre.Memory.Knowledge;
using Microsoft.Data.Sqlite;

namespace Cadre.Sqlite.Memory;

/// <summary>The knowledge graph in the workspace's SQLite file: entities and facts (with validity in time), indexed by
/// subject and object so neighbours and paths are cheap to follow.</summary>
public sealed class SqliteKnowledgeStore : IKnowledgeStore
{
    private const string FactColumns = KnowledgeRows.FactColumns;

    private const string EntityColumns = KnowledgeRows.EntityColumns;

    private static readonly FactQuerySql FactSql = new('$', UnixMillisecondTimes.Instance,
        "{0} IN (SELECT value FROM json_each($keys))", "f.object_is_entity = 1", keys => JsonSerializer.Serialize(keys));

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE entities (
            tenant TEXT NOT NULL,
            team TEXT NOT NULL,
            agent TEXT NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            description TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (tenant, team, agent, key));
        CREATE INDEX entities_by_key ON entities(tenant, key);
        CREATE TABLE facts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            tenant TEXT NOT NULL,
            team TEXT NOT NULL,
            agent TEXT NOT NULL,
            subject TEXT NOT NULL,
            subject_key TEXT NOT NULL,
            relation TEXT NOT NULL,
            object TEXT NOT NULL,
            object_key TEXT NOT NULL,
            object_is_entity INTEGER NOT NULL,
            valid_from INTEGER NOT NULL,
            valid_to INTEGER,
            recorded_at INTEGER NOT NULL,
            superseded_by TEXT,
            source TEXT,
            confidence REAL NOT NULL);
        CREATE INDEX facts_by_subject ON facts(tenant, subject_key, relation);
        CREATE INDEX facts_by_object ON facts(tenant, object_key);
        """,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteDatabase _database;

    private SqliteKnowledgeStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<SqliteKnowledgeStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("knowledge", Migrations, cancellationToken);
        return new SqliteKnowledgeStore(database);
    }

    /// <inheritdoc />
    public async Task<Entity> UpsertEntityAsync(Entity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null, $"""
            INSERT INTO entities(tenant, team, agent, key, name, type, description, created_at, updated_at)
            VALUES ($t, $tm, $ag, $key, $name, $type, $description, $at, $at)
            ON CONFLICT(tenant, team, agent, key) DO UPDATE SET
                name = CASE WHEN trim(excluded.name) = '' THEN name ELSE excluded.name END,
                type = CASE WHEN trim(excluded.type) = '' THEN type ELSE excluded.type END,
                description = CASE WHEN trim(excluded.description) = '' THEN description ELSE excluded.description END,
                updated_at = excluded.updated_at
            RETURNING name, tenant, team, agent, type, description, created_at, updated_at;
            """, ("$key", entity.Key), ("$name", entity.Name), ("$type", entity.Type), ("$description", entity.Description), ("$at", Sql.Time(entity.UpdatedAt)));
        Sql.BindScope(command, entity.Scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadEntity(reader);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Entity>> GetEntitiesAsync(MemoryScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(keys);
        return await QueryEntitiesAsync(scope, $"e.key IN (SELECT value FROM json_each($keys)) AND {Sql.Visible("e")} ORDER BY e.created_at",
            cancellationToken, ("$keys", JsonSerializer.Serialize(keys)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Entity>> FindEntitiesAsync(MemoryScope scope, string text, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(text);
        return await QueryEntitiesAsync(scope, $"""
            {Sql.Visible("e")} AND (instr(lower(e.name), lower($q)) > 0 OR instr(lower(e.description), lower($q)) > 0)
            ORDER BY instr(lower(e.name), lower($q)) = 0, length(e.name), e.key LIMIT $limit
            """, cancellationToken, ("$q", text), ("$limit", Math.Max(0, limit)));
    }

    /// <inheritdoc />
    public async Task<FactWrite> AssertAsync(Fact fact, bool exclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        var same = await QueryFactsAsync(connection, transaction, fact.Scope, """
            f.tenant = $t AND f.team = $tm AND f.agent = $ag AND f.subject_key = $s AND f.relation = $r AND f.object_key = $o
            AND f.object_is_entity = $entity AND f.valid_to IS NULL LIMIT 1
            """, cancellationToken, ("$s", fact.SubjectKey), ("$r", fact.Relation), ("$o", fact.ObjectKey), ("$entity", fact.ObjectIsEntity));
        if (same.Count > 0)
        {
            return new FactWrite(same[0], false, []);
        }

        var superseded = new List<Fact>();
        if (exclusive)
        {
            await SqliteCommands.ExecuteAsync(connection, transaction, """
                UPDATE facts SET valid_to = max(valid_from, $from), superseded_by = $id
                WHERE tenant = $t AND team = $tm AND agent = $ag AND subject_key = $s AND relation = $r AND valid_to IS NULL;
                """, cancellationToken, ("$from", Sql.Time(fact.ValidFrom)), ("$id", fact.Id), ("$t", fact.Scope.Tenant), ("$tm", fact.Scope.Team),
                ("$ag", fact.Scope.Agent), ("$s", fact.SubjectKey), ("$r", fact.Relation));
            superseded.AddRange(await QueryFactsAsync(connection, transaction, fact.Scope, "f.superseded_by = $id ORDER BY f.seq", cancellationToken, ("$id", fact.Id)));
        }

        await InsertFactAsync(connection, transaction, fact with { SupersededBy = null }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FactWrite(fact, true, superseded);
    }

    /// <inheritdoc />
    public async Task<bool> ImportFactAsync(Fact fact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        var added = await InsertFactAsync(connection, transaction, fact, cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    private static Task<int> InsertFactAsync(SqliteConnection connection, SqliteTransaction transaction, Fact fact, CancellationToken cancellationToken) =>
        SqliteCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO facts(id, tenant, team, agent, subject, subject_key, relation, object, object_key, object_is_entity, valid_from, valid_to,
                              recorded_at, superseded_by, source, confidence)
            VALUES ($id, $t, $tm, $ag, $subject, $s, $r, $object, $o, $entity, $from, $to, $recorded, $superseded, $source, $confidence)
            ON CONFLICT(id) DO UPDATE SET valid_to = excluded.valid_to, superseded_by = excluded.superseded_by
            WHERE facts.valid_to IS NULL AND excluded.valid_to IS NOT NULL;
            """, cancellationToken,
            ("$id", fact.Id), ("$t", fact.Scope.Tenant), ("$tm", fact.Scope.Team), ("$ag", fact.Scope.Agent), ("$subject", fact.Subject),
            ("$s", fact.SubjectKey), ("$r", fact.Relation), ("$object", fact.Object), ("$o", fact.ObjectKey), ("$entity", fact.ObjectIsEntity),
            ("$from", Sql.Time(fact.ValidFrom)), ("$to", fact.ValidTo is { } to ? Sql.Time(to) : null), ("$recorded", Sql.Time(fact.RecordedAt)),
            ("$superseded", fact.SupersededBy), ("$source", fact.Source is null ? null : JsonSerializer.Serialize(fact.Source, Json)), ("$confidence", fact.Confidence));

    /// <inheritdoc />
    public async Task<Fact?> RetractAsync(string factId, MemoryScope scope, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factId);
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        await using var command = SqliteCommands.Command(connection, transaction,
            $"UPDATE facts AS f SET valid_to = max(f.valid_from, $at) WHERE f.id = $id AND f.valid_to IS NULL AND {Sql.Visible("f")};",
            ("$id", factId), ("$at", Sql.Time(at)));
        Sql.BindScope(command, scope);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return null;
        }

        var closed = await QueryFactsAsync(connection, transaction, scope, "f.id = $id", cancellationToken, ("$id", factId));
        await transaction.CommitAsync(cancellationToken);
        return closed[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Fact>> FactsAsync(FactQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, parameters) = FactSql.Build(query, Sql.Visible("f"));
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryFactsAsync(connection, null, query.Scope, where, cancellationToken, parameters);
    }

    private async Task<IReadOnlyList<Entity>> QueryEntitiesAsync(MemoryScope scope, string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Command(connection, null, $"SELECT {EntityColumns} FROM entities e WHERE {where};", parameters);
        Sql.BindScope(command, scope);
        var entities = new List<Entity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entities.Add(ReadEntity(reader));
        }

        return entities;
    }

    private static async Task<List<Fact>> QueryFactsAsync(SqliteConnection connection, SqliteTransaction? transaction, MemoryScope scope, string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = SqliteCommands.Command(connection, transaction, $"SELECT {FactColumns} FROM facts f WHERE {where};", parameters);
        if (!command.Parameters.Contains("$t"))
        {
            Sql.BindScope(command, scope);
        }

        var facts = new List<Fact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(ReadFact(reader));
        }

        return facts;
    }

    private static Entity ReadEntity(SqliteDataReader reader) => KnowledgeRows.ReadEntity(reader, UnixMillisecondTimes.Instance);

    private static Fact ReadFact(SqliteDataReader reader) => KnowledgeRows.ReadFact(reader, UnixMillisecondTimes.Instance, "the workspace file");
}
