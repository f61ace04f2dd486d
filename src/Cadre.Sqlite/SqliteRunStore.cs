using System.Globalization;
using System.Text.Json;
using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Storage;
using Cadre.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Cadre.Sqlite;

/// <summary>
/// Runs, steps, checkpoints and conversation threads in the workspace's SQLite file. A step, the messages it added
/// and the state after it are written in one transaction.
/// </summary>
public sealed class SqliteRunStore : IRunStore, IConversationStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            workflow TEXT NOT NULL,
            task TEXT NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            answer TEXT,
            error TEXT,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            steps INTEGER NOT NULL DEFAULT 0,
            metadata TEXT NOT NULL DEFAULT '{}');
        CREATE INDEX runs_by_start ON runs(started_at DESC);
        CREATE TABLE messages (
            conversation_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL,
            author TEXT,
            json TEXT NOT NULL,
            PRIMARY KEY (conversation_id, seq));
        CREATE TABLE run_steps (
            run_id TEXT NOT NULL REFERENCES runs(id),
            step INTEGER NOT NULL,
            agent TEXT NOT NULL,
            started_at TEXT NOT NULL,
            duration_ms REAL NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            handoff_to TEXT,
            handoff_note TEXT,
            text TEXT NOT NULL,
            tool_calls TEXT NOT NULL,
            first_seq INTEGER NOT NULL,
            message_count INTEGER NOT NULL,
            PRIMARY KEY (run_id, step));
        CREATE TABLE run_checkpoints (
            run_id TEXT PRIMARY KEY REFERENCES runs(id),
            step INTEGER NOT NULL,
            state TEXT NOT NULL);
        """,
        """
        ALTER TABLE run_steps ADD COLUMN level TEXT;
        ALTER TABLE run_steps ADD COLUMN error TEXT;
        CREATE TABLE run_pending_calls (
            run_id TEXT NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            step INTEGER NOT NULL,
            agent TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            started_at TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        """,
        """
        CREATE TABLE run_leases (
            run_id TEXT PRIMARY KEY REFERENCES runs(id),
            owner TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            epoch INTEGER NOT NULL,
            heartbeat_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL);
        ALTER TABLE runs ADD COLUMN pending_work TEXT NOT NULL DEFAULT '[]';
        """,
    ];

    // The run's current epoch (0 when never claimed), for fencing a write in its own statement.
    private const string CurrentEpoch = "coalesce((SELECT epoch FROM run_leases WHERE run_id = $run), 0)";

    private static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;
    private readonly SqliteDatabase _database;
    private readonly RunLocks _locks;

    private SqliteRunStore(SqliteDatabase database)
    {
        _database = database;
        _locks = new RunLocks(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(database.Path)!, "locks"));
    }

    /// <summary>Opens the store on a workspace database, creating or upgrading its tables.</summary>
    public static async Task<SqliteRunStore> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.MigrateAsync("runs", Migrations, cancellationToken);
        return new SqliteRunStore(database);
    }

    /// <inheritdoc />
    public async Task CreateRunAsync(RunRecord run, IReadOnlyList<ChatMessage> messages, WorkflowState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO runs(id, workflow, task, status, started_at, metadata)
            VALUES ($id, $workflow, $task, $status, $started, $metadata);
            """, cancellationToken,
            ("$id", run.Id), ("$workflow", run.Workflow), ("$task", run.Task), ("$status", run.Status.ToString()),
            ("$started", SqliteText.Time(run.StartedAt)), ("$metadata", JsonSerializer.Serialize(run.Metadata, Json)));
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
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        // The fence: this owner's epoch is the run's and the checkpoint is at the step before, in this transaction.
        var fenced = await SqliteCommands.ExecuteAsync(connection, transaction, $"""
            UPDATE run_checkpoints SET step = $step WHERE run_id = $run AND step = $step - 1 AND {CurrentEpoch} = $epoch;
            """, cancellationToken, ("$run", step.RunId), ("$step", step.Index), ("$epoch", commit.Epoch));
        if (fenced == 0)
        {
            var (epoch, at) = await FenceAsync(connection, transaction, step.RunId, cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            throw new RunSupersededException(step.RunId, commit.Epoch, epoch != commit.Epoch
                ? $"epoch {epoch} owns it now"
                : $"its checkpoint is at step {at}, not {step.Index - 1}, so step {step.Index} was committed by another owner");
        }

        var first = await AppendAsync(connection, transaction, step.RunId, commit.Messages, cancellationToken);
        await SqliteCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO run_steps(run_id, step, agent, started_at, duration_ms, input_tokens, output_tokens,
                                  handoff_to, handoff_note, text, tool_calls, first_seq, message_count, level, error)
            VALUES ($run, $step, $agent, $started, $duration, $in, $out, $to, $note, $text, $calls, $first, $count, $level, $error);
            UPDATE runs SET steps = $step, input_tokens = input_tokens + $in, output_tokens = output_tokens + $out WHERE id = $run;
            DELETE FROM run_pending_calls WHERE run_id = $run;
            """, cancellationToken,
            ("$run", step.RunId), ("$step", step.Index), ("$agent", step.Agent), ("$started", SqliteText.Time(step.StartedAt)),
            ("$duration", step.Duration.TotalMilliseconds), ("$in", step.Usage.InputTokens), ("$out", step.Usage.OutputTokens),
            ("$to", step.Handoff?.To), ("$note", step.Handoff?.Note), ("$text", step.Text),
            ("$calls", JsonSerializer.Serialize(step.ToolCalls, Json)), ("$first", first), ("$count", commit.Messages.Count),
            ("$level", step.Level is null ? null : JsonSerializer.Serialize(step.Level, Json)), ("$error", step.Error));
        await SaveStateAsync(connection, transaction, step.RunId, commit.State with { PendingToolCalls = [] }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpdateRunAsync(RunRecord run, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
        var changed = await SqliteCommands.ExecuteAsync(connection, transaction, $"""
            UPDATE runs SET status = $status, ended_at = $ended, answer = $answer, error = $error, metadata = $metadata,
                            pending_work = $pending
            WHERE id = $run AND {CurrentEpoch} = $epoch AND (status <> 'Completed' OR $status = 'Completed');
            """, cancellationToken,
            ("$run", run.Id), ("$status", run.Status.ToString()), ("$ended", run.EndedAt is { } e ? SqliteText.Time(e) : null),
            ("$answer", run.Answer), ("$error", run.Error), ("$metadata", JsonSerializer.Serialize(run.Metadata, Json)),
            ("$pending", JsonSerializer.Serialize(run.PendingWork, Json)), ("$epoch", epoch));
        if (changed == 1)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        await using var read = SqliteCommands.Command(connection, transaction, "SELECT status FROM runs WHERE id = $run;", ("$run", run.Id));
        var status = await read.ExecuteScalarAsync(cancellationToken) as string
            ?? throw new InvalidOperationException($"Unknown run '{run.Id}'.");
        var (current, _) = await FenceAsync(connection, transaction, run.Id, cancellationToken);
        throw new RunSupersededException(run.Id, epoch, current != epoch
            ? $"epoch {current} owns it now"
            : $"it is {status.ToLowerInvariant()} and a completed run stays completed");
    }

    /// <inheritdoc />
    public async Task<RunClaim> ClaimAsync(string runId, RunOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(owner);
        // On this host, an OS lock per run backs the lease: the kernel releases it when its holder dies (kill -9), so
        // a holder on this host whose lock we can take is gone, however fresh its lease looks.
        var held = _locks.TryAcquire(runId);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await SqliteCommands.BeginWriteAsync(connection, cancellationToken);
            if (await SqliteCommands.ScalarAsync(connection, transaction, "SELECT count(*) FROM runs WHERE id = $run;", cancellationToken, ("$run", runId)) == 0)
            {
                throw new InvalidOperationException($"Unknown run '{runId}'.");
            }

            var nowMs = now.ToUnixTimeMilliseconds();
            await SqliteCommands.ExecuteAsync(connection, transaction, """
                INSERT INTO run_leases(run_id, owner, host, pid, epoch, heartbeat_at, expires_at)
                VALUES ($run, $owner, $host, $pid, 1, $now, $expires)
                ON CONFLICT(run_id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
                    epoch = run_leases.epoch + 1, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
                WHERE run_leases.expires_at <= $now OR run_leases.owner = $owner OR ($locked = 1 AND run_leases.host = $host);
                """, cancellationToken,
                ("$run", runId), ("$owner", owner.Id), ("$host", owner.Host), ("$pid", owner.ProcessId), ("$now", nowMs),
                ("$expires", (now + duration).ToUnixTimeMilliseconds()), ("$locked", held is null ? 0 : 1));
            var lease = await ReadLeaseAsync(connection, transaction, runId, cancellationToken)
                ?? throw new WorkspaceException($"The lease of run '{runId}' vanished while it was claimed.");
            await transaction.CommitAsync(cancellationToken);
            var claimed = lease.Owner.Id == owner.Id;
            if (claimed && held is not null)
            {
                _locks.Keep(runId, held);
                held = null;
            }

            return new RunClaim(claimed, lease);
        }
        finally
        {
            held?.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(string runId, long epoch, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await SqliteCommands.ExecuteAsync(connection, null, """
            UPDATE run_leases SET heartbeat_at = $now, expires_at = $expires WHERE run_id = $run AND epoch = $epoch;
            """, cancellationToken, ("$run", runId), ("$epoch", epoch), ("$now", now.ToUnixTimeMilliseconds()),
            ("$expires", (now + duration).ToUnixTimeMilliseconds())) == 1;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string runId, long epoch, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            await SqliteCommands.ExecuteAsync(connection, null, """
                UPDATE run_leases SET expires_at = min(expires_at, $now) WHERE run_id = $run AND epoch = $epoch;
                """, cancellationToken, ("$run", runId), ("$epoch", epoch), ("$now", now.ToUnixTimeMilliseconds()));
        }
        finally
        {
            _locks.Release(runId);
        }
    }

    /// <inheritdoc />
    public async Task<RunLease?> GetLeaseAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadLeaseAsync(connection, null, runId, cancellationToken);
    }

    /// <summary>Lets go of the OS locks of every run this store's process holds (the workspace is closing, as the
    /// kernel would on exit); their leases stay as written and lapse unless released.</summary>
    internal void ReleaseLocks() => _locks.ReleaseAll();

    private static async Task<RunLease?> ReadLeaseAsync(SqliteConnection connection, SqliteTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Command(connection, transaction,
            "SELECT owner, host, pid, epoch, heartbeat_at, expires_at FROM run_leases WHERE run_id = $run;", ("$run", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RunLease(runId, new RunOwner(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)), reader.GetInt64(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)))
            : null;
    }

    // Why a fenced write was refused: the run's current epoch and checkpoint step.
    private static async Task<(long Epoch, long Step)> FenceAsync(SqliteConnection connection, SqliteTransaction transaction, string runId, CancellationToken cancellationToken) =>
        (await SqliteCommands.ScalarAsync(connection, transaction, $"SELECT {CurrentEpoch};", cancellationToken, ("$run", runId)),
         await SqliteCommands.ScalarAsync(connection, transaction, "SELECT step FROM run_checkpoints WHERE run_id = $run;", cancellationToken, ("$run", runId)));

    /// <inheritdoc />
    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var exact = await QueryRunsAsync(connection, "WHERE id = $p", runId, 1, cancellationToken);
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var byPrefix = await QueryRunsAsync(connection, "WHERE id LIKE $p ESCAPE '\\'", Escape(runId) + "%", 2, cancellationToken);
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
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var thread = await LoadAsync(connection, runId, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RunRows.StepColumns} FROM run_steps WHERE run_id = $run ORDER BY step;
            """;
        command.Parameters.AddWithValue("$run", runId);
        var steps = new List<RunStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(RunRows.ReadStep(reader, runId, thread, SqliteTimes.Instance));
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
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM run_checkpoints WHERE run_id = $run;";
        command.Parameters.AddWithValue("$run", run.Id);
        var json = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (json is null)
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
        await SqliteCommands.ExecuteAsync(connection, null, """
            INSERT INTO run_pending_calls(run_id, key, step, agent, tool, arguments, started_at)
            VALUES ($run, $key, $step, $agent, $tool, $arguments, $started)
            ON CONFLICT(run_id, key) DO UPDATE SET tool = excluded.tool, arguments = excluded.arguments, started_at = excluded.started_at;
            """, cancellationToken,
            ("$run", runId), ("$key", call.Key), ("$step", call.Step), ("$agent", call.Agent), ("$tool", call.Tool),
            ("$arguments", call.Arguments), ("$started", SqliteText.Time(call.StartedAt)));
    }

    private static async Task<List<PendingToolCall>> LoadPendingAsync(SqliteConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, step, agent, tool, arguments, started_at FROM run_pending_calls WHERE run_id = $run ORDER BY started_at, key;";
        command.Parameters.AddWithValue("$run", runId);
        var calls = new List<PendingToolCall>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            calls.Add(new PendingToolCall(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), SqliteText.ParseTime(reader.GetString(5))));
        }

        return calls;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, conversationId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task AppendAsync(string conversationId, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await AppendAsync(connection, transaction, conversationId, messages.ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> AppendAsync(SqliteConnection connection, SqliteTransaction transaction, string conversationId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        await using var next = connection.CreateCommand();
        next.Transaction = transaction;
        next.CommandText = "SELECT coalesce(max(seq) + 1, 0) FROM messages WHERE conversation_id = $c;";
        next.Parameters.AddWithValue("$c", conversationId);
        var first = Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO messages(conversation_id, seq, role, author, json) VALUES ($c, $seq, $role, $author, $json);";
        var c = insert.Parameters.Add("$c", SqliteType.Text);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var role = insert.Parameters.Add("$role", SqliteType.Text);
        var author = insert.Parameters.Add("$author", SqliteType.Text);
        var json = insert.Parameters.Add("$json", SqliteType.Text);
        c.Value = conversationId;
        for (var i = 0; i < messages.Count; i++)
        {
            seq.Value = first + i;
            role.Value = messages[i].Role.Value;
            author.Value = (object?)messages[i].AuthorName ?? DBNull.Value;
            json.Value = JsonSerializer.Serialize(messages[i], Json);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return first;
    }

    private static async Task<IReadOnlyList<ChatMessage>> LoadAsync(SqliteConnection connection, string conversationId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM messages WHERE conversation_id = $c ORDER BY seq;";
        command.Parameters.AddWithValue("$c", conversationId);
        var messages = new List<ChatMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(JsonSerializer.Deserialize<ChatMessage>(reader.GetString(0), Json)
                ?? throw new WorkspaceException($"A message of conversation '{conversationId}' is empty."));
        }

        return messages;
    }

    private static Task SaveStateAsync(SqliteConnection connection, SqliteTransaction transaction, string runId, WorkflowState state, CancellationToken cancellationToken) =>
        SqliteCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO run_checkpoints(run_id, step, state) VALUES ($run, $step, $state)
            ON CONFLICT(run_id) DO UPDATE SET step = excluded.step, state = excluded.state;
            """, cancellationToken, ("$run", runId), ("$step", state.Step), ("$state", JsonSerializer.Serialize(state, Json)));

    private static async Task<List<RunRecord>> QueryRunsAsync(SqliteConnection connection, string where, string? parameter, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RunRows.RunColumns} FROM runs {where} ORDER BY started_at DESC, id DESC LIMIT $limit;
            """;
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$p", parameter);
        }

        command.Parameters.AddWithValue("$limit", limit);
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(RunRows.ReadRun(reader, SqliteTimes.Instance));
        }

        return runs;
    }

    private static string Escape(string text) => SqliteText.EscapeLike(text);
}
