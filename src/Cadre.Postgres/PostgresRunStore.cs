using System.Text.Json;
using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Storage;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Npgsql;
using NpgsqlTypes;

namespace Cadre.Postgres;

/// <summary>
/// Runs, steps, checkpoints and conversation threads in PostgreSQL. A step, the messages it added and the state after
/// it are written in one transaction; appends to a thread take its advisory lock, so two hosts never interleave
/// message numbers. Messages and states are kept as JSON text (not <c>jsonb</c>), byte for byte as serialized:
/// polymorphic content needs its <c>$type</c> first, which <c>jsonb</c> would reorder.
/// <para>Ownership lives on the run's row (owner, epoch, lease): a claim is one guarded <c>UPDATE</c>, so two hosts can
/// never both own a run, and every fenced write first locks that row (<c>SELECT ... FOR UPDATE</c>) or guards its own
/// <c>UPDATE</c> with the epoch. There is no OS lock across hosts: a lease that lapsed is the takeover rule.</para>
/// </summary>
public sealed class PostgresRunStore : IRunStore, IConversationStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs (
            id text PRIMARY KEY,
            workflow text NOT NULL,
            task text NOT NULL,
            status text NOT NULL,
            started_at timestamptz NOT NULL,
            ended_at timestamptz,
            answer text,
            error text,
            input_tokens bigint NOT NULL DEFAULT 0,
            output_tokens bigint NOT NULL DEFAULT 0,
            steps integer NOT NULL DEFAULT 0,
            metadata jsonb NOT NULL DEFAULT '{}');
        CREATE INDEX runs_by_start ON runs(started_at DESC, id DESC);
        CREATE TABLE messages (
            conversation_id text NOT NULL,
            seq integer NOT NULL,
            role text NOT NULL,
            author text,
            json text NOT NULL,
            PRIMARY KEY (conversation_id, seq));
        CREATE TABLE run_steps (
            run_id text NOT NULL REFERENCES runs(id),
            step integer NOT NULL,
            agent text NOT NULL,
            started_at timestamptz NOT NULL,
            duration_ms double precision NOT NULL,
            input_tokens bigint NOT NULL,
            output_tokens bigint NOT NULL,
            handoff_to text,
            handoff_note text,
            text text NOT NULL,
            tool_calls text NOT NULL,
            first_seq integer NOT NULL,
            message_count integer NOT NULL,
            level text,
            error text,
            PRIMARY KEY (run_id, step));
        CREATE TABLE run_checkpoints (
            run_id text PRIMARY KEY REFERENCES runs(id),
            step integer NOT NULL,
            state text NOT NULL);
        CREATE TABLE run_pending_calls (
            run_id text NOT NULL REFERENCES runs(id),
            key text NOT NULL,
            step integer NOT NULL,
            agent text NOT NULL,
            tool text NOT NULL,
            arguments text NOT NULL,
            started_at timestamptz NOT NULL,
            PRIMARY KEY (run_id, key));
        """,
        """
        ALTER TABLE runs ADD COLUMN pending_work text NOT NULL DEFAULT '[]';
        ALTER TABLE runs ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN owner_id text;
        ALTER TABLE runs ADD COLUMN owner_host text;
        ALTER TABLE runs ADD COLUMN owner_pid integer;
        ALTER TABLE runs ADD COLUMN heartbeat_at timestamptz;
        ALTER TABLE runs ADD COLUMN expires_at timestamptz;
        """,
    ];

    private const string RunColumns = RunRows.RunColumns;
    private const string LeaseColumns = "owner_id, owner_host, owner_pid, epoch, heartbeat_at, expires_at";
    private static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;
    private readonly PostgresDatabase _database;

    private PostgresRunStore(PostgresDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<PostgresRunStore> OpenAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("runs", Migrations, cancellationToken);
        return new PostgresRunStore(database);
    }

    /// <inheritdoc />
    public async Task CreateRunAsync(RunRecord run, IReadOnlyList<ChatMessage> messages, WorkflowState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertRunAsync(connection, transaction, run, cancellationToken);
        await AppendAsync(connection, transaction, run.Id, messages, cancellationToken);
        await SaveStateAsync(connection, transaction, run.Id, state, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task CommitStepAsync(StepCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var step = commit.Step;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var first = await FenceStepAsync(connection, transaction, commit, cancellationToken);
        // One round trip for the rest: messages, step, run totals, pending calls cleared, checkpoint.
        await using var write = PostgresCommands.Command(connection, transaction, $"""
            {InsertMessagesSql}
            {InsertStepSql}
            UPDATE runs SET steps = @step, input_tokens = input_tokens + @in, output_tokens = output_tokens + @out WHERE id = @run;
            DELETE FROM run_pending_calls WHERE run_id = @run;
            {SaveStateSql}
            """, [.. MessageParameters(step.RunId, first, commit.Messages), .. StepParameters(step, first, commit.Messages.Count), .. StateParameters(step.RunId, commit.State with { PendingToolCalls = [] })]);
        try
        {
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new InvalidOperationException($"Unknown run '{step.RunId}'.", ex);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpdateRunAsync(RunRecord run, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // The guard is re-checked on the row's newest version after any concurrent writer commits (read committed).
        var changed = await PostgresCommands.ExecuteAsync(connection, null, """
            UPDATE runs SET status = @status, ended_at = @ended, answer = @answer, error = @error, metadata = @metadata,
                            pending_work = @pending
            WHERE id = @id AND epoch = @epoch AND (status <> 'Completed' OR @status = 'Completed');
            """, cancellationToken,
            ("id", run.Id), ("status", run.Status.ToString()), ("ended", PostgresCommands.TimeOrNull(run.EndedAt)),
            ("answer", run.Answer), ("error", run.Error), ("metadata", Jsonb(run.Metadata)),
            ("pending", JsonSerializer.Serialize(run.PendingWork, Json)), ("epoch", epoch));
        if (changed == 1)
        {
            return;
        }

        await using var read = PostgresCommands.Command(connection, null, "SELECT status, epoch FROM runs WHERE id = @id;", ("id", run.Id));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Unknown run '{run.Id}'.");
        }

        var current = reader.GetInt64(1);
        throw new RunSupersededException(run.Id, epoch, current != epoch
            ? $"epoch {current} owns it now"
            : $"it is {reader.GetString(0).ToLowerInvariant()} and a completed run stays completed");
    }

    /// <inheritdoc />
    public async Task<RunClaim> ClaimAsync(string runId, RunOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        // One guarded UPDATE: a concurrent claimer waits for the row lock and then re-checks the guard against the
        // winner's lease, so exactly one of them raises the epoch.
        await using (var claim = PostgresCommands.Command(connection, null, $"""
            UPDATE runs SET owner_id = @owner, owner_host = @host, owner_pid = @pid, epoch = epoch + 1,
                            heartbeat_at = @now, expires_at = @expires
            WHERE id = @run AND (owner_id IS NULL OR expires_at <= @now OR owner_id = @owner)
            RETURNING {LeaseColumns};
            """, ("run", runId), ("owner", owner.Id), ("host", owner.Host), ("pid", owner.ProcessId),
            ("now", PostgresCommands.Time(now)), ("expires", PostgresCommands.Time(now + duration))))
        {
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return new RunClaim(true, ReadLease(reader, runId)!);
            }
        }

        var lease = await ReadLeaseAsync(connection, runId, cancellationToken)
            ?? throw new InvalidOperationException($"Unknown run '{runId}'.");
        return new RunClaim(false, lease);
    }

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(string runId, long epoch, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await PostgresCommands.ExecuteAsync(connection, null, """
            UPDATE runs SET heartbeat_at = @now, expires_at = @expires WHERE id = @run AND epoch = @epoch AND owner_id IS NOT NULL;
            """, cancellationToken, ("run", runId), ("epoch", epoch), ("now", PostgresCommands.Time(now)),
            ("expires", PostgresCommands.Time(now + duration))) == 1;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string runId, long epoch, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null, """
            UPDATE runs SET expires_at = least(expires_at, @now) WHERE id = @run AND epoch = @epoch AND owner_id IS NOT NULL;
            """, cancellationToken, ("run", runId), ("epoch", epoch), ("now", PostgresCommands.Time(now)));
    }

    /// <inheritdoc />
    public async Task<RunLease?> GetLeaseAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadLeaseAsync(connection, runId, cancellationToken);
    }

    private static async Task<RunLease?> ReadLeaseAsync(NpgsqlConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, null, $"SELECT {LeaseColumns} FROM runs WHERE id = @run;", ("run", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadLease(reader, runId) : null;
    }

    // A lease from the LeaseColumns; null for a run never claimed.
    private static RunLease? ReadLease(NpgsqlDataReader reader, string runId) =>
        reader.IsDBNull(0)
            ? null
            : new RunLease(runId, new RunOwner(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)), reader.GetInt64(3),
                PostgresCommands.ReadTime(reader, 4), PostgresCommands.ReadTime(reader, 5));

    /// <summary>The fence of a step commit, in its transaction: locks the run's row, checks that the epoch is the
    /// committer's and the checkpoint is at the step before, then takes the thread's advisory lock and reads its next
    /// message number — one round trip.</summary>
    private static async Task<int> FenceStepAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StepCommit commit, CancellationToken cancellationToken)
    {
        var runId = commit.Step.RunId;
        await using var command = PostgresCommands.Command(connection, transaction, """
            SELECT r.epoch, c.step FROM runs r LEFT JOIN run_checkpoints c ON c.run_id = r.id WHERE r.id = @run FOR UPDATE OF r;
            SELECT pg_advisory_xact_lock(hashtextextended(@lock_key, 0));
            SELECT coalesce(max(seq) + 1, 0) FROM messages WHERE conversation_id = @run;
            """, ("run", runId), ("lock_key", "thread:" + runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Unknown run '{runId}'.");
        }

        var epoch = reader.GetInt64(0);
        long? at = reader.IsDBNull(1) ? null : reader.GetInt32(1);
        if (epoch != commit.Epoch)
        {
            throw new RunSupersededException(runId, commit.Epoch, $"epoch {epoch} owns it now");
        }

        if (at != commit.Step.Index - 1)
        {
            throw new RunSupersededException(runId, commit.Epoch,
                $"its checkpoint is at step {at}, not {commit.Step.Index - 1}, so step {commit.Step.Index} was committed by another owner");
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt32(0);
    }

    /// <inheritdoc />
    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var exact = await QueryRunsAsync(connection, "WHERE id = @p", runId, 1, cancellationToken);
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var byPrefix = await QueryRunsAsync(connection, "WHERE id LIKE @p ESCAPE '\\'", PostgresCommands.EscapeLike(runId) + "%", 2, cancellationToken);
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await QueryRunsAsync(connection, "", null, limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunStep>> GetStepsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var thread = await LoadAsync(connection, runId, cancellationToken);
        await using var command = PostgresCommands.Command(connection, null,
            $"SELECT {RunRows.StepColumns} FROM run_steps WHERE run_id = @run ORDER BY step;", ("run", runId));
        var steps = new List<RunStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(RunRows.ReadStep(reader, runId, thread, PostgresTimes.Instance));
        }

        return steps;
    }

    /// <inheritdoc />
    public async Task<RunCheckpoint?> GetCheckpointAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await GetRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = PostgresCommands.Command(connection, null, "SELECT state FROM run_checkpoints WHERE run_id = @run;", ("run", run.Id));
        if (await command.ExecuteScalarAsync(cancellationToken) is not string json)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<WorkflowState>(json, Json)
            ?? throw new WorkspaceException($"The checkpoint of run '{run.Id}' is empty.");
        state = state with { PendingToolCalls = await LoadPendingAsync(connection, run.Id, cancellationToken) };
        return new RunCheckpoint(run, await LoadAsync(connection, run.Id, cancellationToken), state);
    }

    /// <inheritdoc />
    public async Task AddPendingToolCallAsync(string runId, PendingToolCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(call);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PostgresCommands.ExecuteAsync(connection, null, """
            INSERT INTO run_pending_calls(run_id, key, step, agent, tool, arguments, started_at)
            VALUES (@run, @key, @step, @agent, @tool, @arguments, @started)
            ON CONFLICT (run_id, key) DO UPDATE SET tool = excluded.tool, arguments = excluded.arguments, started_at = excluded.started_at;
            """, cancellationToken,
            ("run", runId), ("key", call.Key), ("step", call.Step), ("agent", call.Agent), ("tool", call.Tool),
            ("arguments", call.Arguments), ("started", PostgresCommands.Time(call.StartedAt)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, conversationId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task AppendAsync(string conversationId, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AppendAsync(connection, transaction, conversationId, messages.ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Task InsertRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, CancellationToken cancellationToken) =>
        PostgresCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO runs(id, workflow, task, status, started_at, metadata) VALUES (@id, @workflow, @task, @status, @started, @metadata);
            """, cancellationToken,
            ("id", run.Id), ("workflow", run.Workflow), ("task", run.Task), ("status", run.Status.ToString()),
            ("started", PostgresCommands.Time(run.StartedAt)), ("metadata", Jsonb(run.Metadata)));

    private const string InsertStepSql = """
        INSERT INTO run_steps(run_id, step, agent, started_at, duration_ms, input_tokens, output_tokens,
                              handoff_to, handoff_note, text, tool_calls, first_seq, message_count, level, error)
        VALUES (@run, @step, @agent, @started, @duration, @in, @out, @to, @note, @text, @calls, @first_step_seq, @count, @level, @error);
        """;

    private const string InsertMessagesSql = """
        INSERT INTO messages(conversation_id, seq, role, author, json)
        SELECT @c, @first + i - 1, r, a, j FROM unnest(@roles, @authors, @jsons) WITH ORDINALITY AS m(r, a, j, i);
        """;

    private const string SaveStateSql = """
        INSERT INTO run_checkpoints(run_id, step, state) VALUES (@state_run, @state_step, @state)
        ON CONFLICT (run_id) DO UPDATE SET step = excluded.step, state = excluded.state;
        """;

    private static (string, object?)[] StepParameters(RunStep step, int first, int count) =>
    [
        ("run", step.RunId), ("step", step.Index), ("agent", step.Agent), ("started", PostgresCommands.Time(step.StartedAt)),
        ("duration", step.Duration.TotalMilliseconds), ("in", step.Usage.InputTokens), ("out", step.Usage.OutputTokens),
        ("to", step.Handoff?.To), ("note", step.Handoff?.Note), ("text", step.Text),
        ("calls", JsonSerializer.Serialize(step.ToolCalls, Json)), ("first_step_seq", first), ("count", count),
        ("level", step.Level is null ? null : JsonSerializer.Serialize(step.Level, Json)), ("error", step.Error),
    ];

    private static (string, object?)[] MessageParameters(string conversationId, int first, IReadOnlyList<ChatMessage> messages) =>
    [
        ("c", conversationId), ("first", first),
        ("roles", messages.Select(m => m.Role.Value).ToArray()),
        ("authors", messages.Select(m => m.AuthorName).ToArray()),
        ("jsons", messages.Select(m => JsonSerializer.Serialize(m, Json)).ToArray()),
    ];

    private static (string, object?)[] StateParameters(string runId, WorkflowState state) =>
        [("state_run", runId), ("state_step", state.Step), ("state", JsonSerializer.Serialize(state, Json))];

    private static NpgsqlParameter Jsonb(IReadOnlyDictionary<string, string> metadata) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(metadata, Json) };

    private static async Task<int> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var first = await NextSeqAsync(connection, transaction, conversationId, cancellationToken);
        if (messages.Count > 0)
        {
            await PostgresCommands.ExecuteAsync(connection, transaction, InsertMessagesSql, cancellationToken, MessageParameters(conversationId, first, messages));
        }

        return first;
    }

    /// <summary>Takes the thread's advisory lock and reads its next message number, in one round trip.</summary>
    private static async Task<int> NextSeqAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, transaction, """
            SELECT pg_advisory_xact_lock(hashtextextended(@lock_key, 0));
            SELECT coalesce(max(seq) + 1, 0) FROM messages WHERE conversation_id = @c;
            """, ("lock_key", "thread:" + conversationId), ("c", conversationId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt32(0);
    }

    private static async Task<IReadOnlyList<ChatMessage>> LoadAsync(NpgsqlConnection connection, string conversationId, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, null, "SELECT json FROM messages WHERE conversation_id = @c ORDER BY seq;", ("c", conversationId));
        var messages = new List<ChatMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(JsonSerializer.Deserialize<ChatMessage>(reader.GetString(0), Json)
                ?? throw new WorkspaceException($"A message of conversation '{conversationId}' is empty."));
        }

        return messages;
    }

    private static async Task<List<PendingToolCall>> LoadPendingAsync(NpgsqlConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, null,
            "SELECT key, step, agent, tool, arguments, started_at FROM run_pending_calls WHERE run_id = @run ORDER BY started_at, key;", ("run", runId));
        var calls = new List<PendingToolCall>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            calls.Add(new PendingToolCall(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), PostgresCommands.ReadTime(reader, 5)));
        }

        return calls;
    }

    private static Task SaveStateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, WorkflowState state, CancellationToken cancellationToken) =>
        PostgresCommands.ExecuteAsync(connection, transaction, SaveStateSql, cancellationToken, StateParameters(runId, state));

    private static async Task<List<RunRecord>> QueryRunsAsync(NpgsqlConnection connection, string where, string? parameter, int limit, CancellationToken cancellationToken)
    {
        await using var command = PostgresCommands.Command(connection, null,
            $"SELECT {RunColumns} FROM runs {where} ORDER BY started_at DESC, id DESC LIMIT @limit;", ("limit", Math.Max(0, limit)));
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("p", parameter);
        }

        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(RunRows.ReadRun(reader, PostgresTimes.Instance));
        }

        return runs;
    }
}
