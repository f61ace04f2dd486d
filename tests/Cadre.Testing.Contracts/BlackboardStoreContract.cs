using System.Text.Json.Nodes;
using Cadre.Memory;
using Cadre.Memory.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IBlackboardStore"/> must do, checked through <see cref="Blackboard"/>: versions,
/// compare-and-set, reducers, access rules and the audit trail.</summary>
public abstract class BlackboardStoreContract : IAsyncLifetime
{
    protected static readonly MemoryScope Acme = new("acme");
    protected static readonly BlackboardActor Billing = BlackboardActor.Agent("billing", "support");
    protected static readonly BlackboardActor Triage = BlackboardActor.Agent("triage", "support");
    protected static readonly BlackboardActor Seller = BlackboardActor.Agent("seller", "sales");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    protected IBlackboardStore Store { get; private set; } = null!;

    protected Blackboard Board(BlackboardActor actor, BlackboardOptions? options = null) => new(Store, Acme, actor, options, Time);

    /// <summary>Creates an empty store.</summary>
    protected abstract Task<IBlackboardStore> CreateStoreAsync();

    /// <summary>Creates another store over the same data (another connection or process), for concurrency tests; the
    /// same store when the implementation has no such thing.</summary>
    protected virtual Task<IBlackboardStore> OpenAnotherAsync() => Task.FromResult(Store);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_write_makes_a_new_version_and_an_audit_entry_with_who_when_old_and_new()
    {
        var board = Board(Billing);
        var first = await board.WriteAsync("shared", "status", JsonValue.Create("open"));
        Time.Advance(TimeSpan.FromMinutes(5));
        var second = await board.As(Triage).WriteAsync("shared", "status", JsonValue.Create("closed"));

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        var read = await board.ReadAsync("shared", "status");
        Assert.Equal("closed", read!.Get<string>());
        Assert.Equal(("triage", Time.GetUtcNow()), (read.UpdatedBy, read.UpdatedAt));
        var audit = await board.AuditAsync("shared", "status");
        Assert.Equal([2L, 1L], audit.Select(a => a.Version));
        Assert.Equal(("triage", "\"open\"", "\"closed\""), (audit[0].Actor, audit[0].OldJson, audit[0].NewJson));
        Assert.Equal(("billing", (string?)null, "\"open\""), (audit[1].Actor, audit[1].OldJson, audit[1].NewJson));
        Assert.Equal(Time.GetUtcNow().AddMinutes(-5), audit[1].At);
    }

    [Fact]
    public async Task A_compare_and_set_write_against_a_stale_version_fails_and_writes_nothing()
    {
        var board = Board(Billing);
        var created = await board.WriteAsync("shared", "owner", JsonValue.Create("billing"), expectedVersion: 0);
        await board.WriteAsync("shared", "owner", JsonValue.Create("triage"), expectedVersion: created.Version);

        var conflict = await Assert.ThrowsAsync<BlackboardConflictException>(() => board.WriteAsync("shared", "owner", JsonValue.Create("escalation"), expectedVersion: created.Version));
        var exists = await Assert.ThrowsAsync<BlackboardConflictException>(() => board.WriteAsync("shared", "owner", JsonValue.Create("x"), expectedVersion: 0));

        Assert.Equal((1L, 2L), (conflict.Expected, conflict.Actual));
        Assert.Contains("is at version 2, not 1", conflict.Message);
        Assert.Equal(2, exists.Actual);
        Assert.Equal("triage", (await board.ReadAsync<string>("shared", "owner")));
        Assert.Equal(2, (await board.AuditAsync("shared", "owner")).Count);
    }

    [Fact]
    public async Task Reducers_per_key_append_merge_replace_or_do_what_they_are_told()
    {
        var options = new BlackboardOptions()
            .WithReducer("notes", BlackboardReducers.Append)
            .WithReducer("profile/*", BlackboardReducers.Merge)
            .WithReducer("max", BlackboardReducers.Custom((current, written) => JsonValue.Create(Math.Max(current?.GetValue<int>() ?? int.MinValue, written!.GetValue<int>()))));
        var board = Board(Billing, options);

        await board.WriteAsync("shared", "notes", JsonValue.Create("a"));
        await board.WriteAsync("shared", "notes", new JsonArray("b", "c"));
        await board.WriteAsync("shared", "profile/ana", JsonNode.Parse("""{"name":"Ana","contact":{"phone":"555","email":"a@x"}}"""));
        await board.WriteAsync("shared", "profile/ana", JsonNode.Parse("""{"contact":{"email":"ana@y"},"lang":"pt"}"""));
        await board.WriteAsync("shared", "max", JsonValue.Create(5));
        await board.WriteAsync("shared", "max", JsonValue.Create(3));
        await board.WriteAsync("shared", "plain", JsonValue.Create(1));
        await board.WriteAsync("shared", "plain", JsonValue.Create(2));

        Assert.Equal(["a", "b", "c"], (await board.ReadAsync<string[]>("shared", "notes"))!);
        Assert.Equal("""{"name":"Ana","contact":{"phone":"555","email":"ana@y"},"lang":"pt"}""", (await board.ReadAsync("shared", "profile/ana"))!.Value!.ToJsonString());
        Assert.Equal(5, await board.ReadAsync<int>("shared", "max"));
        Assert.Equal(2, await board.ReadAsync<int>("shared", "plain"));
    }

    [Fact]
    public async Task By_default_an_agent_reads_and_writes_its_own_namespace_its_teams_and_shared_and_nothing_else()
    {
        var billing = Board(Billing);
        await billing.WriteAsync("agent:billing", "draft", JsonValue.Create(1));
        await billing.WriteAsync("team:support", "queue", JsonValue.Create(2));
        await billing.WriteAsync("shared", "banner", JsonValue.Create(3));

        var privateRead = await Assert.ThrowsAsync<BlackboardAccessDeniedException>(() => billing.As(Triage).ReadAsync("agent:billing", "draft"));
        var teamWrite = await Assert.ThrowsAsync<BlackboardAccessDeniedException>(() => billing.As(Seller).WriteAsync("team:support", "queue", JsonValue.Create(9)));
        var custom = await Assert.ThrowsAsync<BlackboardAccessDeniedException>(() => billing.ReadAsync("finance", "ledger"));

        Assert.Equal("'triage' may not read blackboard namespace 'agent:billing': it is billing's private namespace.", privateRead.Message);
        Assert.Equal("'seller' may not write blackboard namespace 'team:support': seller is not in team support.", teamWrite.Message);
        Assert.Contains("no rule allows it", custom.Message);
        Assert.Equal(2, await billing.As(Triage).ReadAsync<int>("team:support", "queue"));
        Assert.Equal(2, await billing.As(BlackboardActor.Operator()).ReadAsync<int>("team:support", "queue"));
        Assert.Equal(1, await billing.As(BlackboardActor.Operator()).ReadAsync<int>("agent:billing", "draft"));
    }

    [Fact]
    public async Task Rules_allow_and_deny_on_top_of_the_defaults_and_a_deny_wins()
    {
        var access = BlackboardAccess.Default
            .Deny("*", "shared", BlackboardPermission.Write)
            .Allow("supervisor", "shared", BlackboardPermission.Write)
            .Allow("*", "finance", BlackboardPermission.Read)
            .Allow("auditor", "agent:*", BlackboardPermission.Read);
        var options = new BlackboardOptions { Access = access };
        await Board(BlackboardActor.Operator(), options).WriteAsync("finance", "rate", JsonValue.Create(1.5));
        await Board(Billing, options).WriteAsync("agent:billing", "draft", JsonValue.Create("x"));

        var denied = await Assert.ThrowsAsync<BlackboardAccessDeniedException>(() => Board(Billing, options).WriteAsync("shared", "banner", JsonValue.Create("x")));
        await Assert.ThrowsAsync<BlackboardAccessDeniedException>(() => Board(BlackboardActor.Agent("supervisor"), options).WriteAsync("shared", "banner", JsonValue.Create("x")));

        Assert.Contains("a rule denies everyone write access to shared", denied.Message);
        Assert.Equal(1.5, await Board(Seller, options).ReadAsync<double>("finance", "rate"));
        Assert.Equal("x", await Board(BlackboardActor.Agent("auditor"), options).ReadAsync<string>("agent:billing", "draft"));
        await Assert.ThrowsAsync<BlackboardAccessDeniedException>(() => Board(Seller, options).WriteAsync("finance", "rate", JsonValue.Create(2)));
    }

    [Fact]
    public async Task The_audit_trail_an_agent_reads_holds_only_namespaces_it_may_read()
    {
        await Board(Billing).WriteAsync("agent:billing", "secret", JsonValue.Create(1));
        await Board(Billing).WriteAsync("shared", "public", JsonValue.Create(2));

        var seen = await Board(Triage).AuditAsync();
        var all = await Board(BlackboardActor.Operator()).AuditAsync();

        Assert.Equal(["public"], seen.Select(a => a.Key));
        Assert.Equal(["public", "secret"], all.Select(a => a.Key));
    }

    [Fact]
    public async Task Keys_are_listed_by_namespace_and_prefix()
    {
        var board = Board(Billing);
        await board.WriteAsync("shared", "handoffs/r1", JsonValue.Create(1));
        await board.WriteAsync("shared", "handoffs/r2", JsonValue.Create(2));
        await board.WriteAsync("shared", "banner", JsonValue.Create(3));
        await board.WriteAsync("team:support", "handoffs/r3", JsonValue.Create(4));

        Assert.Equal(["handoffs/r1", "handoffs/r2"], (await board.ListAsync("shared", "handoffs/")).Select(e => e.Key));
        Assert.Equal(3, (await board.ListAsync("shared")).Count);
    }

    private async Task<List<IBlackboardStore>> OpenWritersAsync(int count)
    {
        var stores = new List<IBlackboardStore>();
        for (var w = 0; w < count; w++)
        {
            stores.Add(await OpenAnotherAsync());
        }

        return stores;
    }

    [Fact]
    public async Task Many_concurrent_appending_writers_lose_nothing()
    {
        const int Writers = 8;
        const int Each = 25;
        var options = new BlackboardOptions().WithReducer("log", BlackboardReducers.Append);
        var stores = await OpenWritersAsync(Writers);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var board = new Blackboard(stores[w], Acme, BlackboardActor.Agent($"agent{w}"), options, Time);
            for (var i = 0; i < Each; i++)
            {
                await board.WriteAsync("shared", "log", JsonValue.Create($"{w}:{i}"));
            }
        })));

        var entry = await Board(Billing, options).ReadAsync("shared", "log");
        var items = entry!.Get<string[]>()!;
        Assert.Equal(Writers * Each, items.Length);
        Assert.Equal(Writers * Each, items.Distinct().Count());
        Assert.Equal(Writers * Each, entry.Version);
        for (var w = 0; w < Writers; w++)
        {
            Assert.Equal(Enumerable.Range(0, Each).Select(i => $"{w}:{i}"), items.Where(x => x.StartsWith($"{w}:", StringComparison.Ordinal)));
        }

        var audit = await Board(BlackboardActor.Operator()).AuditAsync("shared", "log", limit: 1000);
        Assert.Equal(Enumerable.Range(1, Writers * Each).Select(v => (long)v).Reverse(), audit.Select(a => a.Version));
    }

    [Fact]
    public async Task Many_concurrent_compare_and_set_writers_retrying_on_conflict_lose_no_increment()
    {
        const int Writers = 6;
        const int Each = 15;
        var stores = await OpenWritersAsync(Writers);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var board = new Blackboard(stores[w], Acme, BlackboardActor.Agent($"agent{w}"), null, Time);
            for (var i = 0; i < Each; i++)
            {
                while (true)
                {
                    var current = await board.ReadAsync("shared", "counter");
                    try
                    {
                        await board.WriteAsync("shared", "counter", JsonValue.Create((current?.Get<int>() ?? 0) + 1), current?.Version ?? 0);
                        break;
                    }
                    catch (BlackboardConflictException)
                    {
                        // Someone wrote in between: read again.
                    }
                }
            }
        })));

        var counter = await Board(Billing).ReadAsync("shared", "counter");
        Assert.Equal(Writers * Each, counter!.Get<int>());
        Assert.Equal(Writers * Each, counter.Version);
    }

    [Fact]
    public async Task Boards_are_listed_by_name_so_everything_can_be_read_for_copying()
    {
        Assert.Empty(await Store.ListBoardsAsync());
        await Board(Billing).WriteAsync("shared", "status", JsonValue.Create("open"));
        await Store.WriteAsync(new BlackboardWrite("globex", "shared", "status", null, _ => "\"open\"", "seller", Time.GetUtcNow()));
        await Store.WriteAsync(new BlackboardWrite("acme/support", "shared", "owner", 0, _ => "\"billing\"", "billing", Time.GetUtcNow()));

        var boards = await Store.ListBoardsAsync();

        Assert.Equal(["acme", "acme/support", "globex"], boards);
        foreach (var board in boards)
        {
            Assert.NotEmpty(await Store.ListAsync(board));
            Assert.NotEmpty(await Store.AuditAsync(board));
        }
    }
}
