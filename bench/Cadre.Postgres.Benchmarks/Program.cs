using System.Diagnostics;
using System.Globalization;
using Cadre.Postgres;
using Cadre.Postgres.Benchmarks;
using Cadre.Sqlite;
using Cadre.Workspaces;
using Npgsql;

// Usage: Cadre.Postgres.Benchmarks <postgres://user@host:port/postgres> [memories=20000]
// Creates a fresh database on that server for each measurement and a fresh SQLite folder, runs each measurement on
// both, and prints a markdown table with PostgreSQL as a ratio of SQLite measured in this same process.
// Cadre.Postgres.Benchmarks processes <postgres://...> [writers=8] [each=250]: the concurrent writers as separate
// processes (this program started again as "writer board|ledger <workspace> <board> <writer> <each>").
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Cadre.Postgres.Benchmarks [processes] postgres://user@host:port/postgres [memories | writers each]");
    return 2;
}

if (args[0] == "writer")
{
    await using var workspace = await OpenAsync(args[2]);
    var (board, writer, each) = (args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture));
    await (args[1] == "board" ? StoreBenchmark.IncrementAsync(workspace, board, each) : StoreBenchmark.RecordAsync(workspace, board, writer, each));
    return 0;
}

var processes = args[0] == "processes";
var server = processes ? args[1] : args[0];
var memories = !processes && args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var temp = Path.Combine(Path.GetTempPath(), "cadre-bench-" + Guid.NewGuid().ToString("n")[..8]);
Directory.CreateDirectory(temp);

static async Task<IWorkspace> OpenAsync(string location) =>
    PostgresConnectionString.IsPostgres(location) ? await PostgresWorkspace.OpenAsync(location) : await SqliteWorkspace.OpenAsync(location);

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
if (processes)
{
    var writers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    var each = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 250;
    var folder = Path.Combine(temp, "sqlite");
    var database = await NewDatabaseAsync();
    var sqlite = await ProcessesAsync(folder, writers, each);
    var postgres = await ProcessesAsync(database, writers, each);
    Console.WriteLine(Row($"{writers} processes: blackboard compare-and-set increments/s", sqlite.Board, postgres.Board));
    Console.WriteLine(Row($"{writers} processes: ledger records/s", sqlite.Ledger, postgres.Ledger));
    Console.WriteLine($"| {writers} processes × {each}: every write exactly once | {(sqlite.Exact ? "yes" : "NO")} ({sqlite.Detail}) | {(postgres.Exact ? "yes" : "NO")} ({postgres.Detail}) | |");
    Directory.Delete(temp, recursive: true);
    return sqlite.Exact && postgres.Exact ? 0 : 1;
}

async Task<(double Board, double Ledger, bool Exact, string Detail)> ProcessesAsync(string location, int writers, int each)
{
    await using (await OpenAsync(location))
    {
        // Creates the schema once, before the writers race to open it.
    }

    var board = "bench-" + Guid.NewGuid().ToString("n")[..8];
    async Task<double> RunAllAsync(string work)
    {
        var started = Stopwatch.GetTimestamp();
        var children = Enumerable.Range(0, writers).Select(w => Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { "writer", work, location, board, w.ToString(CultureInfo.InvariantCulture), each.ToString(CultureInfo.InvariantCulture) },
            UseShellExecute = false,
        })!).ToList();
        foreach (var child in children)
        {
            await child.WaitForExitAsync();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"a {work} writer exited with {child.ExitCode}");
            }

            child.Dispose();
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    var boardSeconds = await RunAllAsync("board");
    var ledgerSeconds = await RunAllAsync("ledger");
    await using var workspace = await OpenAsync(location);
    var (exact, detail) = await StoreBenchmark.CheckAsync(workspace, board, writers, each);
    return (writers * each / boardSeconds, writers * each * 2 / ledgerSeconds, exact, detail);
}

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
