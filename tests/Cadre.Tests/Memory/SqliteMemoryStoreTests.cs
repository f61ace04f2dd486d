using Cadre.Memory;
using Cadre.Sqlite;
using Cadre.Sqlite.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Workspaces;
using Microsoft.Data.Sqlite;

namespace Cadre.Tests.Memory;

/// <summary>The SQLite store passes the long-term memory contract on a real file, and keeps what it stores across
/// connections, processes and reopening.</summary>
public sealed class SqliteMemoryStoreTests : MemoryStoreContract
{
    private readonly TempDirectory _dir = new();

    private string File => _dir.Combine("cadre.db");

    protected override async Task<IMemoryStore> CreateStoreAsync() =>
        await SqliteMemoryStore.OpenAsync(await SqliteDatabase.OpenAsync(File));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_bundled_sqlite_has_fts5()
    {
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_compileoption_used('ENABLE_FTS5');";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Memories_and_their_embeddings_survive_reopening_the_file()
    {
        var stored = await Memory.StoreAsync("Ana Lima prefers phone calls.", Meta("customer", "C-1002"), MemoryScope.Default);
        (Store as IDisposable)!.Dispose();

        using var reopened = await SqliteMemoryStore.OpenAsync(await SqliteDatabase.OpenAsync(File));
        var memory = new LongTermMemory(reopened, time: Time);

        var read = await memory.GetAsync(stored.Record!.Id, MemoryScope.Default);
        Assert.Equal(stored.Record.Embedding.ToArray(), read!.Embedding.ToArray());
        var recalled = await memory.RecallAsync(new MemoryQuery { Text = "phones", Scope = MemoryScope.Default, Mode = RetrievalMode.Vector });
        Assert.Equal(stored.Record.Id, Assert.Single(recalled).Record.Id);
        Assert.Equal(1, reopened.IndexedVectors);
    }

    [Fact]
    public async Task A_vector_index_sees_what_another_store_on_the_same_file_adds_and_deletes()
    {
        using var other = await SqliteMemoryStore.OpenAsync(await SqliteDatabase.OpenAsync(File));
        var writer = new LongTermMemory(other, time: Time);
        var vectorOnly = new MemoryQuery { Text = "telephones", Scope = MemoryScope.Default, Mode = RetrievalMode.Vector };
        Assert.Empty(await Memory.RecallAsync(vectorOnly));

        var added = await writer.StoreAsync("Wei uses the telephone.", null, MemoryScope.Default);
        Assert.Equal(added.Record!.Id, Assert.Single(await Memory.RecallAsync(vectorOnly)).Record.Id);

        await writer.UpdateAsync(added.Record.Id, MemoryScope.Default, "Wei answers email only.");
        Assert.Equal("Wei answers email only.", Assert.Single(await Memory.RecallAsync(vectorOnly with { Text = "emails" })).Record.Text);

        await writer.ForgetAsync(added.Record.Id, MemoryScope.Default);
        Assert.Empty(await Memory.RecallAsync(vectorOnly with { Text = "emails" }));
    }

    [Fact]
    public async Task A_reader_whose_place_in_the_change_log_was_pruned_reloads_its_index()
    {
        var vectorOnly = new MemoryQuery { Text = "telephones", Scope = MemoryScope.Default, Mode = RetrievalMode.Vector, K = 5 };
        await Memory.StoreAsync("First note.", null, MemoryScope.Default);
        await Memory.RecallAsync(vectorOnly);
        using var other = await SqliteMemoryStore.OpenAsync(await SqliteDatabase.OpenAsync(File));
        var writer = new LongTermMemory(other, time: Time);
        await writer.StoreAsync("Wei uses the telephone.", null, MemoryScope.Default);
        await ExecuteAsync("DELETE FROM memory_changes;");
        await writer.StoreAsync("Ana has two telephones.", null, MemoryScope.Default);

        var recalled = await Memory.RecallAsync(vectorOnly);

        Assert.Equal(["Ana has two telephones.", "Wei uses the telephone."], recalled.Take(2).Select(r => r.Record.Text).Order());
    }

    [Fact]
    public async Task A_damaged_row_is_reported_as_a_workspace_error_naming_the_memory()
    {
        var stored = await Memory.StoreAsync("fine", null, MemoryScope.Default);
        await ExecuteAsync("UPDATE memories SET metadata = '{not json' ;");

        var error = await Assert.ThrowsAsync<WorkspaceException>(() => Memory.ListAsync(MemoryScope.Default));

        Assert.Contains(stored.Record!.Id, error.Message);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
