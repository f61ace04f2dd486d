using Cadre.Conversations;
using Cadre.Postgres.Memory;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Postgres;

/// <summary>
/// A workspace on a PostgreSQL server: runs, steps, checkpoints, threads, the tool ledger, audit, dead letters, jobs and
/// every kind of memory, shared by every host and process that opens the same database. Open it with
/// <see cref="OpenAsync"/> or <c>--workspace postgres://user@host:port/database</c>.
/// </summary>
public sealed class PostgresWorkspace : IWorkspace
{
    private PostgresWorkspace(PostgresDatabase database, PostgresRunStore runs, WorkspaceMemory memory)
    {
        Database = database;
        RunStore = runs;
        Memory = memory;
    }

    /// <summary>The workspace's database, for work the store interfaces do not cover; disposed with the workspace.</summary>
    public PostgresDatabase Database { get; }

    /// <summary>The store behind <see cref="Runs"/> and <see cref="Conversations"/>, as its PostgreSQL class.</summary>
    public PostgresRunStore RunStore { get; }

    /// <inheritdoc />
    public IRunStore Runs => RunStore;

    /// <inheritdoc />
    public IConversationStore Conversations => RunStore;

    /// <inheritdoc />
    public IToolLedger Ledger { get; private init; } = null!;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters { get; private init; } = null!;

    /// <inheritdoc />
    public IAuditLog Audit { get; private init; } = null!;

    /// <inheritdoc />
    public IToolJobStore Jobs { get; private init; } = null!;

    /// <inheritdoc />
    public IApprovalStore Approvals { get; private init; } = null!;

    /// <inheritdoc />
    public IToolLimitStore? Limits { get; private init; }

    /// <inheritdoc />
    public IRunSearch RunSearch => new PostgresRunSearch(Database);

    /// <inheritdoc />
    public WorkspaceMemory Memory { get; }

    /// <summary>Opens a workspace database, creating its tables in an empty database.</summary>
    /// <param name="location">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql connection string.</param>
    /// <param name="cancellationToken">Stops the call with an <see cref="OperationCanceledException"/>; a write not yet committed is rolled back.</param>
    /// <exception cref="WorkspaceException">The server cannot be reached, or the database is not a Cadre workspace, is
    /// damaged or is from a newer Cadre; it is left untouched.</exception>
    public static async Task<PostgresWorkspace> OpenAsync(string location, CancellationToken cancellationToken = default)
    {
        var database = await PostgresDatabase.OpenAsync(location, cancellationToken);
        try
        {
            var runs = await PostgresRunStore.OpenAsync(database, cancellationToken);
            var memory = new WorkspaceMemory(new MemoryStores(
                await PostgresMemoryStore.OpenAsync(database, null, cancellationToken),
                await PostgresEpisodeStore.OpenAsync(database, cancellationToken),
                await PostgresKnowledgeStore.OpenAsync(database, cancellationToken),
                await PostgresBlackboardStore.OpenAsync(database, cancellationToken),
                await PostgresSummaryStore.OpenAsync(database, cancellationToken)));
            return new PostgresWorkspace(database, runs, memory)
            {
                Ledger = await PostgresToolLedger.OpenAsync(database, cancellationToken),
                DeadLetters = await PostgresDeadLetterStore.OpenAsync(database, cancellationToken),
                Audit = await PostgresAuditLog.OpenAsync(database, cancellationToken),
                Jobs = await PostgresToolJobStore.OpenAsync(database, cancellationToken),
                Approvals = await PostgresApprovalStore.OpenAsync(database, cancellationToken),
                Limits = await PostgresToolLimitStore.OpenAsync(database, cancellationToken),
            };
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Memory.Stores.LongTerm is IAsyncDisposable memory)
        {
            await memory.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
