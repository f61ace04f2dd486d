using Microsoft.Data.Sqlite;

namespace SupportDesk;

/// <summary>The sample's customer database: a real SQLite file with customers, invoices with their charges, and
/// tickets. Created and filled with sample data on first use.</summary>
public sealed class SupportDatabase
{
    private readonly string _connectionString;

    /// <summary>Opens (creating and seeding if needed) the database at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    public SupportDatabase(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, plan TEXT NOT NULL, since TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS invoices (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id), issued TEXT NOT NULL, amount REAL NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS charges (id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL REFERENCES invoices(id), charged_on TEXT NOT NULL, amount REAL NOT NULL, card TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tickets (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, subject TEXT NOT NULL, description TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT);
            CREATE TABLE IF NOT EXISTS ticket_requests (idempotency_key TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id));
            INSERT OR IGNORE INTO customers VALUES
              ('C-1001', 'John Carter', 'john@example.com', 'Pro (monthly)', '2024-03-02'),
              ('C-1002', 'Ana Lima', 'ana.lima@example.org', 'Team (yearly)', '2023-11-17'),
              ('C-1003', 'Wei Chen', 'wei@example.net', 'Free', '2025-06-30');
            INSERT OR IGNORE INTO invoices VALUES
              ('INV-1001', 'C-1001', '2026-11-01', 49.00, 'USD', 'paid'),
              ('INV-0987', 'C-1001', '2026-10-01', 49.00, 'USD', 'paid'),
              ('INV-2001', 'C-1002', '2026-01-15', 1188.00, 'USD', 'paid');
            INSERT OR IGNORE INTO charges VALUES
              ('CH-5001', 'INV-1001', '2026-11-01', 49.00, 'visa ••4242'),
              ('CH-5002', 'INV-1001', '2026-11-01', 49.00, 'visa ••4242'),
              ('CH-4870', 'INV-0987', '2026-10-01', 49.00, 'visa ••4242'),
              ('CH-3001', 'INV-2001', '2026-01-15', 1188.00, 'amex ••1005');
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens a connection.</summary>
    /// <returns>The open connection.</returns>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
