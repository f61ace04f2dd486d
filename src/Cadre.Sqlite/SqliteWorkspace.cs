using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Sqlite.Memory;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Sqlite;

/// <summary>
/// The embedded workspace: one SQLite file (<c>cadre.db</c>, WAL) in a folder (<c>.cadre/</c> by default) holding runs,
/// steps, checkpoints, conversation threads and memory. Several processes may open the same workspace.
/// </summary>
public sealed class SqliteWorkspace : IWorkspace
{
    /// <summary>The database file's name inside the workspace folder.</summary>
    public const string FileName = "cadre.db";

    private SqliteWorkspace(string directory, SqliteDatabase database, SqliteRunStore runs, SqliteToolLedger ledger, WorkspaceMemory memory)
    {
        Directory = directory;
        Database = database;
        RunStore = runs;
        Ledger = ledger;
        Memory = memory;
    }

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters { get; private init; } = null!;

    /// <inheritdoc />
    public IAuditLog Audit { get; private init; } = null!;

    /// <inheritdoc />
    public IToolJobStore Jobs { get; private init; } = null!;

    /// <inheritdoc />
    public IToolLimitStore? Limits { get; private init; }

    /// <inheritdoc />
    public IApprovalStore Approvals { get; private init; } = null!;

    /// <summary>The workspace folder's full path; tools are told to keep their files here.</summary>
    public string Directory { get; }

    /// <summary>The workspace's database, for work the store interfaces do not cover; the workspace releases its pooled connections when disposed.</summary>
    public SqliteDatabase Database { get; }

    /// <summary>The store behind <see cref="Runs"/> and <see cref="Conversations"/>, as its SQLite class.</summary>
    public SqliteRunStore RunStore { get; }

    /// <inheritdoc />
    public IRunStore Runs => RunStore;

    /// <inheritdoc />
    public IConversationStore Conversations => RunStore;

    /// <inheritdoc />
    public IToolLedger Ledger { get; }

    /// <inheritdoc />
    public IRunSearch RunSearch => new SqliteRunSearch(Database);

    /// <inheritdoc />
    public WorkspaceMemory Memory { get; }

    /// <summary>Opens a workspace folder, creating it and its database if needed.</summary>
    /// <param name="directory">The folder (<c>.cadre</c>, say).</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <exception cref="WorkspaceException">The database is damaged, not a Cadre workspace, or from a newer Cadre; it is
    /// left untouched.</exception>
    public static async Task<SqliteWorkspace> OpenAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (File.Exists(full))
        {
            throw new WorkspaceException($"{full} is a file; a workspace is a folder (it holds {FileName}).");
        }

        System.IO.Directory.CreateDirectory(full);
        var database = await SqliteDatabase.OpenAsync(Path.Combine(full, FileName), cancellationToken);
        var runs = await SqliteRunStore.OpenAsync(database, cancellationToken);
        var ledger = await SqliteToolLedger.OpenAsync(database, cancellationToken);
        var memory = new WorkspaceMemory(new MemoryStores(
            await SqliteMemoryStore.OpenAsync(database, null, cancellationToken),
            await SqliteEpisodeStore.OpenAsync(database, cancellationToken),
            await SqliteKnowledgeStore.OpenAsync(database, cancellationToken),
            await SqliteBlackboardStore.OpenAsync(database, cancellationToken),
            await SqliteSummaryStore.OpenAsync(database, cancellationToken)));
        return new SqliteWorkspace(full, database, runs, ledger, memory)
        {
            DeadLetters = await SqliteDeadLetterStore.OpenAsync(database, cancellationToken),
            Audit = await SqliteAuditLog.OpenAsync(database, cancellationToken),
            Jobs = await SqliteToolJobStore.OpenAsync(database, cancellationToken),
            Limits = await SqliteToolLimitStore.OpenAsync(database, cancellationToken),
            Approvals = await SqliteApprovalStore.OpenAsync(database, cancellationToken),
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the folder can be moved or deleted.
        (Memory.Stores.LongTerm as IDisposable)?.Dispose();
        RunStore.ReleaseLocks();
        Database.ReleaseConnections();
        return ValueTask.CompletedTask;
    }
}
