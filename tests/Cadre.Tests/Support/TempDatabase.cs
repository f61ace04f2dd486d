using Cadre.Sqlite;

namespace Cadre.Tests.Support;

/// <summary>A workspace database file in a fresh temporary folder, deleted when disposed; each
/// <see cref="OpenAsync"/> opens the file as another process would.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly TempDirectory _dir = new();

    public string File => _dir.Combine("cadre.db");

    public Task<SqliteDatabase> OpenAsync() => SqliteDatabase.OpenAsync(File);

    public void Dispose() => _dir.Dispose();
}
