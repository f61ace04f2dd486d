using System.Globalization;
using Cadre.Postgres;
using Cadre.Postgres.Benchmarks;
using Cadre.Sqlite;
using Npgsql;

// Usage: Cadre.Postgres.Benchmarks <postgres://user@host:port/postgres> [memories=20000]
// Creates a fresh database on that server for each measurement and a fresh SQLite folder, runs each measurement on
// both, and prints a markdown table with PostgreSQL as a ratio of SQLite measured in this same process.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Cadre.Postgres.Benchmarks postgres://user@host:port/postgres [memories]");
    return 2;
}

var server = args[0];
var memories = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var temp = Path.Combine(Path.GetTempPath(), "cadre-bench-" + Guid.NewGuid().ToString("n")[..8]);
Directory.CreateDirectory(temp);

async Task<string> NewDatabaseAsync()
{
    var name = "cadre_bench_" + Guid.NewGuid().ToString("n")[..8];
    var builder = PostgresConnectionString.Parse(server);
    await using var connection = new NpgsqlConnection(builder.ConnectionString + ";Pooling=false");
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
    await command.ExecuteNonQueryAsync();
    builder.Database = name;
    return builder.ConnectionString;
}

async Task<(StoreBenchmark Sqlite, StoreBenchmark Postgres)> FreshAsync()
{
    var folder = Path.Combine(temp, Guid.NewGuid().ToString("n")[..8]);
    var database = await NewDatabaseAsync();
    return (new StoreBenchmark("SQLite", async () => await SqliteWorkspace.OpenAsync(folder)),
            new StoreBenchmark("PostgreSQL", async () => await PostgresWorkspace.OpenAsync(database)));
}

static double P(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string F(double value) => value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture);
static string Row(string what, double sqlite, double postgres) => $"| {what} | {F(sqlite)} | {F(postgres)} | {(postgres / sqlite).ToString("0.00", CultureInfo.InvariantCulture)}× |";

Console.WriteLine("| measurement | SQLite | PostgreSQL | PostgreSQL / SQLite |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
var (s, p) = await FreshAsync();
await s.CheckpointAsync(20); // warm-up: JIT, pools
await p.CheckpointAsync(20);
var sc = await s.CheckpointAsync(500);
var pc = await p.CheckpointAsync(500);
Console.WriteLine(Row("checkpoint per step p50 (ms)", P(sc, 0.5), P(pc, 0.5)));
Console.WriteLine(Row("checkpoint per step p95 (ms)", P(sc, 0.95), P(pc, 0.95)));

(s, p) = await FreshAsync();
var sm = await s.MemoryAsync(memories, 200);
var pm = await p.MemoryAsync(memories, 200);
Console.WriteLine(Row($"ingest ({memories:N0} memories, batches of 500; memories/s)", sm.PerSecond, pm.PerSecond));
Console.WriteLine(Row($"first recall at {memories:N0} (index load; ms)", sm.FirstRecallMs, pm.FirstRecallMs));
Console.WriteLine(Row($"hybrid recall p50 at {memories:N0} (ms)", P(sm.Recall, 0.5), P(pm.Recall, 0.5)));
Console.WriteLine(Row($"hybrid recall p95 at {memories:N0} (ms)", P(sm.Recall, 0.95), P(pm.Recall, 0.95)));

(s, p) = await FreshAsync();
var sw = await s.WritersAsync(8, 250);
var pw = await p.WritersAsync(8, 250);
Console.WriteLine(Row("8 writers: blackboard compare-and-set increments/s", sw.BoardPerSecond, pw.BoardPerSecond));
Console.WriteLine(Row("8 writers: ledger records/s", sw.LedgerPerSecond, pw.LedgerPerSecond));
Console.WriteLine($"| 8 writers × 250: every write exactly once | {(sw.Exact ? "yes" : "NO")} ({sw.Detail}) | {(pw.Exact ? "yes" : "NO")} ({pw.Detail}) | |");
Directory.Delete(temp, recursive: true);
return 0;
