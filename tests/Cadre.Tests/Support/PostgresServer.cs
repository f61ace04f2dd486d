using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cadre.Postgres;
using Npgsql;

namespace Cadre.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the test run: <c>initdb</c> into a temporary folder, a free port on 127.0.0.1,
/// <c>pg_ctl start</c>, stopped and deleted at the end. One server serves every class of the <c>postgres</c> collection;
/// each test gets fresh databases from <see cref="CreateDatabaseAsync"/>. PostgreSQL refuses to run as root, so as root
/// the server runs as the <c>postgres</c> user (or <c>nobody</c>). When the server cannot start, every test that needs it
/// fails with the reason; none is skipped.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cadre-postgres-" + Guid.NewGuid().ToString("n")[..10]);
    private string? _bin;
    private string? _runAs;
    private int _databases;

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Why the server did not start, or null when it runs.</summary>
    public string? Failure { get; private set; }

    private string DataDirectory => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        try
        {
            _bin = FindBinaries();
            _runAs = Environment.IsPrivilegedProcess ? (UserExists("postgres") ? "postgres" : "nobody") : null;
            Directory.CreateDirectory(_folder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_folder, (UnixFileMode)0x1FF); // 0777: the server's user writes the data folder and log here
            }
            await RunAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
            Port = FreePort();
            var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            var log = Path.Combine(_folder, "server.log");
            Failure = $"The test PostgreSQL server did not start: {ex.Message}" + (File.Exists(log) ? "\n" + await File.ReadAllTextAsync(log) : "") +
                      "\nInstall PostgreSQL (Debian: apt-get install -y postgresql; .ci/run does this on a fresh machine).";
        }
    }

    /// <summary>Creates an empty database and returns its <c>postgres://</c> URL.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (Failure is not null)
        {
            throw new InvalidOperationException(Failure);
        }

        var name = $"cadre_test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("n")[..6]}";
        await using (var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }

        return Url(name);
    }

    /// <summary>The URL of a database on this server.</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{Port}/{database}";

    /// <summary>Opens a fresh workspace database (the caller disposes it).</summary>
    public async Task<PostgresDatabase> OpenDatabaseAsync() => await PostgresDatabase.OpenAsync(await CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        if (_bin is not null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Stopping is best effort; the folder goes either way.
            }
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RunAsync(string tool, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder };
        if (_runAs is not null)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", _runAs, "--", Path.Combine(_bin!, tool)])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = Path.Combine(_bin!, tool);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static string FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException("initdb and pg_ctl are neither on PATH nor in /usr/lib/postgresql/*/bin.");
    }

    private static bool UserExists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd", Encoding.UTF8).Any(l => l.StartsWith(user + ":", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
