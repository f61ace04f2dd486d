using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cadre.Conversations;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Tools;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Cadre.Reliability.Benchmarks;

/// <summary>
/// What one owner per run costs, in the same process and on the same SQLite file: the fenced step commit (it checks
/// epoch and step in its transaction) against the commit as it was before ownership (the same rows, no fence — a
/// replica of the old transaction, kept here as the baseline); a ledger reservation and record per side-effecting call
/// against the old look-up and record; and the claim and release of a run.
/// </summary>
public static class OwnershipBenchmark
{
    private const int Commits = 600;
    private const int Calls = 300;
    private static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;
    private static readonly string Text = string.Concat(Enumerable.Repeat("The duplicate charge on INV-1001 was refunded; ticket T-1001 tracks it. ", 6));

    /// <summary>Measures and writes the figures as a Markdown table.</summary>
    /// <param name="output">Where to write.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Path.Combine(Path.GetTempPath(), "cadre-bench-own-" + Guid.NewGuid().ToString("n")[..8]);
        try
        {
            await using var workspace = await SqliteWorkspace.OpenAsync(folder);
            var start = DateTimeOffset.UtcNow;
            await workspace.Runs.CreateRunAsync(Run("fenced", start), [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });
            await workspace.Runs.CreateRunAsync(Run("plain", start), [new ChatMessage(ChatRole.User, "t")], new WorkflowState { Task = "t", NextAgent = "a" });
            var claim = await workspace.Runs.ClaimAsync("fenced", RunOwner.ForThisProcess(), start, TimeSpan.FromMinutes(5));

            // Interleaved, so both see the same file, cache and neighbours.
            var fenced = new List<double>();
            var plain = new List<double>();
            for (var i = 1; i <= Commits; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await workspace.Runs.CommitStepAsync(Commit("fenced", i) with { Epoch = claim.Lease.Epoch });
                fenced.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                t = Stopwatch.GetTimestamp();
                await UnfencedCommitAsync(workspace.Database, Commit("plain", i));
                plain.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var reserve = new List<double>();
            var lookup = new List<double>();
            for (var i = 0; i < Calls; i++)
            {
                var entry = new ToolLedgerEntry($"fenced/{i}/0", "send_email", "{\"to\":\"john@example.com\"}", "queued", ToolCallStatus.Succeeded, start) { RunId = "fenced", Epoch = claim.Lease.Epoch };
                var t = Stopwatch.GetTimestamp();
                await workspace.Ledger.ReserveAsync(new ToolReservation(entry.Key, "fenced", claim.Lease.Epoch, entry.Tool, entry.Arguments, start));
                await workspace.Ledger.RecordAsync(entry);
                reserve.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                var old = entry with { Key = $"plain/{i}/0", RunId = "" };
                t = Stopwatch.GetTimestamp();
                await workspace.Ledger.FindAsync(old.Key);
                await workspace.Ledger.RecordAsync(old);
                lookup.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var claims = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var held = await workspace.Runs.ClaimAsync("plain", RunOwner.ForThisProcess(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
                await workspace.Runs.ReleaseAsync("plain", held.Lease.Epoch, DateTimeOffset.UtcNow);
                claims.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var c = CultureInfo.InvariantCulture;
            output.WriteLine("| figure | value | against (same process, same file) |");
            output.WriteLine("| --- | --- | --- |");
            output.WriteLine(string.Create(c, $"| fenced step commit (p50 / p95) | {P(fenced, 50):0.000} / {P(fenced, 95):0.000} ms | {P(fenced, 50) / P(plain, 50):0.00}× the unfenced commit ({P(plain, 50):0.000} / {P(plain, 95):0.000} ms): +{P(fenced, 50) - P(plain, 50):0.000} ms per step |"));
            output.WriteLine(string.Create(c, $"| ledger reserve + record per side-effecting call (p50 / p95) | {P(reserve, 50):0.000} / {P(reserve, 95):0.000} ms | {P(reserve, 50) / P(lookup, 50):0.00}× look-up + record ({P(lookup, 50):0.000} ms) |"));
            output.WriteLine(string.Create(c, $"| claim + release a run (p50) | {P(claims, 50):0.000} ms | once per start or resume, plus a heartbeat every 5 s |"));
            output.WriteLine();
            output.WriteLine(string.Create(c, $"{Commits} commits each way, interleaved; {Calls} ledger calls each way; {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static RunRecord Run(string id, DateTimeOffset at) => new() { Id = id, Workflow = "group-chat", Task = "t", StartedAt = at };

    private static StepCommit Commit(string run, int index) =>
        new(new RunStep { RunId = run, Index = index, Agent = "billing", StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.FromMilliseconds(1), Text = Text, Usage = new TokenUsage(40, 12) },
            [new ChatMessage(ChatRole.Assistant, Text) { AuthorName = "billing" }],
            new WorkflowState { Task = "t", NextAgent = "reviewer", Step = index, Notes = ["note"] });

    // The step commit as it was before ownership: the same rows in one (deferred) transaction, no fence.
    private static async Task UnfencedCommitAsync(SqliteDatabase database, StepCommit commit)
    {
        var step = commit.Step;
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var next = Command(connection, transaction, "SELECT coalesce(max(seq) + 1, 0) FROM messages WHERE conversation_id = $run;", ("$run", step.RunId));
        var first = Convert.ToInt32(await next.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        foreach (var (message, i) in commit.Messages.Select((m, i) => (m, i)))
        {
            await using var insert = Command(connection, transaction, "INSERT INTO messages(conversation_id, seq, role, author, json) VALUES ($run, $seq, $role, $author, $json);",
                ("$run", step.RunId), ("$seq", first + i), ("$role", message.Role.Value), ("$author", message.AuthorName), ("$json", JsonSerializer.Serialize(message, Json)));
            await insert.ExecuteNonQueryAsync();
        }

        await using (var write = Command(connection, transaction, """
            INSERT INTO run_steps(run_id, step, agent, started_at, duration_ms, input_tokens, output_tokens,
                                  handoff_to, handoff_note, text, tool_calls, first_seq, message_count, level, error)
            VALUES ($run, $step, $agent, $started, $duration, $in, $out, NULL, NULL, $text, $calls, $first, $count, NULL, NULL);
            UPDATE runs SET steps = $step, input_tokens = input_tokens + $in, output_tokens = output_tokens + $out WHERE id = $run;
            DELETE FROM run_pending_calls WHERE run_id = $run;
            INSERT INTO run_checkpoints(run_id, step, state) VALUES ($run, $step, $state)
            ON CONFLICT(run_id) DO UPDATE SET step = excluded.step, state = excluded.state;
            """,
            ("$run", step.RunId), ("$step", step.Index), ("$agent", step.Agent), ("$started", step.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            ("$duration", step.Duration.TotalMilliseconds), ("$in", step.Usage.InputTokens), ("$out", step.Usage.OutputTokens), ("$text", step.Text),
            ("$calls", JsonSerializer.Serialize(step.ToolCalls, Json)), ("$first", first), ("$count", commit.Messages.Count),
            ("$state", JsonSerializer.Serialize(commit.State, Json))))
        {
            await write.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static double P(List<double> values, int percentile) => CheckpointBenchmark.P(values, percentile);
}
