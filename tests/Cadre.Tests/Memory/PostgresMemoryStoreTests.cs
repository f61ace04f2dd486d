using Cadre.Memory;
using Cadre.Postgres.Memory;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;

namespace Cadre.Tests.Memory;

/// <summary>The PostgreSQL store passes the long-term memory contract (the tenant isolation property test included) on a
/// real server, and two stores on one database, as two hosts, see each other's memories.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMemoryStoreTests(PostgresServer server) : MemoryStoreContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IMemoryStore> CreateStoreAsync() => await OpenStoreAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }

    private async Task<PostgresMemoryStore> OpenStoreAsync() => _databases.Track(await PostgresMemoryStore.OpenAsync(await _databases.OpenAsync()));

    [Fact]
    public async Task A_vector_index_sees_what_another_host_adds_updates_and_deletes()
    {
        var other = await OpenStoreAsync();
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
    public async Task Keyword_search_is_full_text_search_within_the_readers_scope()
    {
        var acme = new MemoryScope("acme");
        var globex = new MemoryScope("globex");
        await Memory.StoreAsync("Refunds reach the card within five business days.", null, acme);
        await Memory.StoreAsync("Refunds for globex go to the bank account.", null, globex);

        var hits = await Memory.RecallAsync(new MemoryQuery { Text = "when do refunds arrive", Scope = acme, Mode = RetrievalMode.Keyword });

        Assert.Equal("Refunds reach the card within five business days.", Assert.Single(hits).Record.Text);
    }

    [Fact]
    public async Task Memories_and_their_embeddings_survive_reopening_with_the_embedders_name()
    {
        var stored = await Memory.StoreAsync("Ana Lima prefers phone calls.", null, MemoryScope.Default);
        var reopened = new LongTermMemory(await OpenStoreAsync(), time: Time);

        var read = await reopened.GetAsync(stored.Record!.Id, MemoryScope.Default);

        Assert.Equal(stored.Record.Embedding.ToArray(), read!.Embedding.ToArray());
        Assert.Equal(Memory.EmbeddingModel, read.EmbeddingModel);
    }
}
