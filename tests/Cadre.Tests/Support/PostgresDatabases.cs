using Cadre.Postgres;

namespace Cadre.Tests.Support;

/// <summary>The workspace databases one test opened on the shared server, closed when the test ends (their pooled
/// connections would otherwise pile up on the server).</summary>
public sealed class PostgresDatabases(PostgresServer server) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _open = [];

    public PostgresServer Server => server;

    /// <summary>The URL of the test's own database, created on first use.</summary>
    public string? Url { get; private set; }

    /// <summary>Opens the test's database (the same one each call, as another process would).</summary>
    public async Task<PostgresDatabase> OpenAsync()
    {
        Url ??= await server.CreateDatabaseAsync();
        return Track(await PostgresDatabase.OpenAsync(Url));
    }

    /// <summary>Opens the test's database as a whole workspace.</summary>
    public async Task<PostgresWorkspace> OpenWorkspaceAsync()
    {
        Url ??= await server.CreateDatabaseAsync();
        return Track(await PostgresWorkspace.OpenAsync(Url));
    }

    public T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _open.Add(disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_open))
        {
            await item.DisposeAsync();
        }
    }
}
