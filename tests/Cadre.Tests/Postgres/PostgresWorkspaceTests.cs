using System.Net;
using System.Net.Sockets;
using Cadre.Memory;
using Cadre.Postgres;
using Cadre.Postgres.Memory;
using Cadre.Tests.Support;
using Cadre.Workspaces;
using Npgsql;

namespace Cadre.Tests.Postgres;

/// <summary>A PostgreSQL workspace opens only a Cadre database: a foreign, damaged or newer one is refused and left as
/// it was, an unreachable server is said plainly, and two hosts opening a new database at once agree on its tables.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkspaceTests(PostgresServer server) : IAsyncLifetime
{
    private readonly PostgresDatabases _databases = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task A_database_with_other_tables_is_refused_and_left_untouched()
    {
        var url = await server.CreateDatabaseAsync();
        await ExecuteAsync(url, "CREATE TABLE customers (id int); INSERT INTO customers VALUES (7);");

        var error = await Assert.ThrowsAsync<WorkspaceException>(() => PostgresWorkspace.OpenAsync(url));

        Assert.Contains("not a Cadre workspace", error.Message);
        Assert.Equal(7L, await ScalarAsync(url, "SELECT sum(id) FROM customers;"));
        Assert.Equal(1L, await ScalarAsync(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';"));
    }

    [Fact]
    public async Task A_damaged_schema_table_is_refused()
    {
        var url = await server.CreateDatabaseAsync();
        await ExecuteAsync(url, "CREATE TABLE cadre_schema (component text);");

        var error = await Assert.ThrowsAsync<WorkspaceException>(() => PostgresWorkspace.OpenAsync(url));

        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public async Task A_database_from_a_newer_cadre_is_refused_naming_the_component()
    {
        await (await _databases.OpenWorkspaceAsync()).DisposeAsync();
        await ExecuteAsync(_databases.Url!, "UPDATE cadre_schema SET version = 99 WHERE component = 'runs';");

        var error = await Assert.ThrowsAsync<WorkspaceException>(() => PostgresWorkspace.OpenAsync(_databases.Url!));

        Assert.Contains("runs tables are at version 99", error.Message);
        Assert.Contains("Upgrade Cadre", error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_workspace_error_without_the_password()
    {
        var error = await Assert.ThrowsAsync<WorkspaceException>(() => PostgresWorkspace.OpenAsync($"postgres://cadre:secret@127.0.0.1:{ClosedPort()}/nowhere"));

        Assert.Contains("Cannot reach", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public async Task Hosts_opening_a_new_database_at_once_all_succeed_and_each_component_is_migrated_once()
    {
        var url = await server.CreateDatabaseAsync();

        var workspaces = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresWorkspace.OpenAsync(url))));
        foreach (var workspace in workspaces)
        {
            _databases.Track(workspace);
        }

        Assert.Equal(12L, await ScalarAsync(url, "SELECT count(*) FROM cadre_schema;"));
        // Each component once, at its latest version: runs, the ledger and the audit log have a second step (ownership).
        Assert.Equal(9L, await ScalarAsync(url, "SELECT count(*) FROM cadre_schema WHERE version = 1;"));
        Assert.Equal(3L, await ScalarAsync(url, "SELECT count(*) FROM cadre_schema WHERE version = 2 AND component IN ('runs', 'tool_ledger', 'tool_audit');"));
    }

    [Fact]
    public async Task A_new_memory_reaches_another_hosts_vector_index_by_notification_without_a_search()
    {
        var reader = (PostgresMemoryStore)(await _databases.OpenWorkspaceAsync()).Memory.Stores.LongTerm;
        var writer = new LongTermMemory((await _databases.OpenWorkspaceAsync()).Memory.Stores.LongTerm);
        await writer.StoreAsync("Ana Lima prefers phone calls.", null, MemoryScope.Default);
        await reader.WarmUpAsync(writer.EmbeddingModel);
        Assert.Equal(1, reader.IndexedVectors);

        var heard = reader.Notifications;
        await writer.StoreAsync("Wei answers email only.", null, MemoryScope.Default);

        // Delivery is asynchronous: wait for it (bounded), never for a fixed time.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (reader.IndexedVectors < 2 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        Assert.True(reader.Notifications > heard, "the reader heard no notification");
        Assert.Equal(2, reader.IndexedVectors);
    }

    [Theory]
    [InlineData("postgres://ana:p%40ss@db.example:5433/cadre?Timeout=5", "db.example", 5433, "cadre", "ana", "p@ss")]
    [InlineData("postgresql://db.example/cadre", "db.example", 5432, "cadre", null, null)]
    [InlineData("Host=db.example;Port=6000;Database=cadre;Username=ana", "db.example", 6000, "cadre", "ana", null)]
    public void Urls_and_connection_strings_both_name_a_database(string location, string host, int port, string database, string? user, string? password)
    {
        Assert.True(PostgresConnectionString.IsPostgres(location));
        var builder = PostgresConnectionString.Parse(location);

        Assert.Equal((host, port, database, user, password), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Theory]
    [InlineData(".cadre")]
    [InlineData("/var/lib/cadre")]
    [InlineData("C:\\work\\.cadre")]
    public void A_folder_is_not_a_postgres_location(string location) => Assert.False(PostgresConnectionString.IsPostgres(location));

    [Fact]
    public void A_bad_setting_in_a_url_is_a_clear_error() =>
        Assert.Contains("unknown or bad setting 'colour'", Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse("postgres://h/db?colour=blue")).Message);

    private static async Task ExecuteAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.Parse(url).ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.Parse(url).ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
