using System.Text.Json;
using Cadre.Memory;
using Cadre.Storage;
using Cadre.Memory.Knowledge;
using Npgsql;

namespace Cadre.Postgres.Memory;

/// <summary>The knowledge graph in PostgreSQL: entities and facts (with validity in time), indexed by subject and
/// object so neighbours and paths are cheap to follow. Asserting a fact takes its subject's advisory lock, so two hosts
/// never both keep an exclusive fact open.</summary>
public sealed class PostgresKnowledgeStore : IKnowledgeStore
{
    private const string FactColumns = KnowledgeRows.FactColumns;

    private const string EntityColumns = KnowledgeRows.EntityColumns;

    private static readonly FactQuerySql FactSql = new('@', PostgresTimes.Instance,
        "{0} = ANY(@keys)", "f.object_is_entity", keys => keys.ToArray());

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE entities (
            tenant text NOT NULL,
            team text NOT NULL,
            agent text NOT NULL,
            key text NOT NULL,
            name text NOT NULL,
            type text NOT NULL,
            description text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, team, agent, key));
        CREATE INDEX entities_by_key ON entities(tenant, key);
        CREATE TABLE facts (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            tenant text NOT NULL,
            team text NOT NULL,
            agent text NOT NULL,
            subject text NOT NULL,
            subject_key text NOT NULL,
            relation text NOT NULL,
            object text NOT NULL,
            object_key text NOT NULL,
            object_is_entity boolean NOT NULL,
            valid_from timestamptz NOT NULL,
            valid_to timestamptz,
            recorded_at timestamptz NOT NULL,
            superseded_by text,
            source text,
            confidence double precision NOT NULL);
        CREATE INDEX facts_by_subject ON facts(tenant, subject_key, relation);
        CREATE INDEX facts_by_object ON facts(tenant, object_key);
        """,
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PostgresDatabase _database;

    private PostgresKnowledgeStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<PostgresKnowledgeStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("knowledge", Migrations, cancellationToken);
        return new PostgresKnowledgeStore(database);
    }

    /// <inheritdoc />
    public async Task<Entity> UpsertEntityAsync(Entity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, """
            INSERT INTO entities AS e (tenant, team, agent, key, name, type, description, created_at, updated_at)
            VALUES (@t, @tm, @ag, @key, @name, @type, @description, @at, @at)
            ON CONFLICT (tenant, team, agent, key) DO UPDATE SET
                name = CASE WHEN trim(excluded.name) = '' THEN e.name ELSE excluded.name END,
                type = CASE WHEN trim(excluded.type) = '' THEN e.type ELSE excluded.type END,
                description = CASE WHEN trim(excluded.description) = '' THEN e.description ELSE excluded.description END,
                updated_at = excluded.updated_at
            RETURNING e.name, e.tenant, e.team, e.agent, e.type, e.description, e.created_at, e.updated_at;
            """, ("key", entity.Key), ("name", entity.Name), ("type", entity.Type), ("description", entity.Description), ("at", PostgresCommands.Time(entity.UpdatedAt)));
        ScopeSql.Bind(command, entity.Scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadEntity(reader);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Entity>> GetEntitiesAsync(MemoryScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(keys);
        return await QueryEntitiesAsync(scope, $"e.key = ANY(@keys) AND {ScopeSql.Visible("e")} ORDER BY e.created_at", cancellationToken, ("keys", keys.ToArray()));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Entity>> FindEntitiesAsync(MemoryScope scope, string text, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(text);
        return await QueryEntitiesAsync(scope, $"""
            {ScopeSql.Visible("e")} AND (strpos(lower(e.name), lower(@q)) > 0 OR strpos(lower(e.description), lower(@q)) > 0)
            ORDER BY strpos(lower(e.name), lower(@q)) = 0, length(e.name), e.key COLLATE "C" LIMIT @limit
            """, cancellationToken, ("q", text), ("limit", Math.Max(0, limit)));
    }

    /// <inheritdoc />
    public async Task<FactWrite> AssertAsync(Fact fact, bool exclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresCommands.LockAsync(connection, transaction, $"fact:{fact.Scope}\u001f{fact.SubjectKey}\u001f{fact.Relation}", cancellationToken);
        var same = await QueryFactsAsync(connection, transaction, fact.Scope, $"""
            {ScopeSql.Exactly("f")} AND f.subject_key = @s AND f.relation = @r AND f.object_key = @o
            AND f.object_is_entity = @entity AND f.valid_to IS NULL LIMIT 1
            """, cancellationToken, ("s", fact.SubjectKey), ("r", fact.Relation), ("o", fact.ObjectKey), ("entity", fact.ObjectIsEntity));
        if (same.Count > 0)
        {
            return new FactWrite(same[0], false, []);
        }

        var superseded = new List<Fact>();
        if (exclusive)
        {
            await using var close = PostgresCommands.Command(connection, transaction, $"""
                UPDATE facts AS f SET valid_to = greatest(f.valid_from, @from), superseded_by = @id
                WHERE {ScopeSql.Exactly("f")} AND f.subject_key = @s AND f.relation = @r AND f.valid_to IS NULL;
                """, ("from", PostgresCommands.Time(fact.ValidFrom)), ("id", fact.Id), ("s", fact.SubjectKey), ("r", fact.Relation));
            ScopeSql.Bind(close, fact.Scope);
            await close.ExecuteNonQueryAsync(cancellationToken);
            superseded.AddRange(await QueryFactsAsync(connection, transaction, fact.Scope, "f.superseded_by = @id ORDER BY f.seq", cancellationToken, ("id", fact.Id)));
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
        return await InsertFactAsync(connection, null, fact, cancellationToken) > 0;
    }

    private static async Task<int> InsertFactAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Fact fact, CancellationToken cancellationToken)
    {
        await using var insert = PostgresCommands.Command(connection, transaction, """
            INSERT INTO facts(id, tenant, team, agent, subject, subject_key, relation, object, object_key, object_is_entity, valid_from, valid_to,
                              recorded_at, superseded_by, source, confidence)
            VALUES (@id, @t, @tm, @ag, @subject, @s, @r, @object, @o, @entity, @from, @to, @recorded, @superseded, @source, @confidence)
            ON CONFLICT (id) DO UPDATE SET valid_to = excluded.valid_to, superseded_by = excluded.superseded_by
            WHERE facts.valid_to IS NULL AND excluded.valid_to IS NOT NULL;
            """,
            ("id", fact.Id), ("subject", fact.Subject), ("s", fact.SubjectKey), ("r", fact.Relation), ("object", fact.Object), ("o", fact.ObjectKey),
            ("entity", fact.ObjectIsEntity), ("from", PostgresCommands.Time(fact.ValidFrom)), ("to", PostgresCommands.TimeOrNull(fact.ValidTo)),
            ("recorded", PostgresCommands.Time(fact.RecordedAt)), ("superseded", fact.SupersededBy),
            ("source", fact.Source is null ? null : JsonSerializer.Serialize(fact.Source, Json)), ("confidence", fact.Confidence));
        ScopeSql.Bind(insert, fact.Scope);
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Fact?> RetractAsync(string factId, MemoryScope scope, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factId);
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, transaction,
            $"UPDATE facts AS f SET valid_to = greatest(f.valid_from, @at) WHERE f.id = @id AND f.valid_to IS NULL AND {ScopeSql.Visible("f")};",
            ("id", factId), ("at", PostgresCommands.Time(at)));
        ScopeSql.Bind(command, scope);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return null;
        }

        var closed = await QueryFactsAsync(connection, transaction, scope, "f.id = @id", cancellationToken, ("id", factId));
        await transaction.CommitAsync(cancellationToken);
        return closed[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Fact>> FactsAsync(FactQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, parameters) = FactSql.Build(query, ScopeSql.Visible("f"));
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryFactsAsync(connection, null, query.Scope, where, cancellationToken, parameters);
    }

    private async Task<IReadOnlyList<Entity>> QueryEntitiesAsync(MemoryScope scope, string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, $"SELECT {EntityColumns} FROM entities e WHERE {where};", parameters);
        ScopeSql.Bind(command, scope);
        var entities = new List<Entity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entities.Add(ReadEntity(reader));
        }

        return entities;
    }

    private static async Task<List<Fact>> QueryFactsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, MemoryScope scope, string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = PostgresCommands.Command(connection, transaction, $"SELECT {FactColumns} FROM facts f WHERE {where};", parameters);
        ScopeSql.Bind(command, scope);
        var facts = new List<Fact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(ReadFact(reader));
        }

        return facts;
    }

    private static Entity ReadEntity(NpgsqlDataReader reader) => KnowledgeRows.ReadEntity(reader, PostgresTimes.Instance);

    private static Fact ReadFact(NpgsqlDataReader reader) => KnowledgeRows.ReadFact(reader, PostgresTimes.Instance, "the workspace database");
}
