using Cadre.Tools;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IApprovalStore"/> must do. A new store (PostgreSQL, say) derives from this class and
/// says how to make one.</summary>
public abstract class ApprovalStoreContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    protected IApprovalStore Store { get; private set; } = null!;

    /// <summary>Makes an empty store.</summary>
    protected abstract Task<IApprovalStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected ApprovalRequest Request(string id, string key = "r1/2/0", string arguments = """{"to":"john@example.com"}""", string run = "r1") => new()
    {
        Id = id,
        Key = key,
        RunId = run,
        Step = 2,
        Agent = "billing",
        Tool = "send_email",
        Arguments = arguments,
        RequestedAt = Time.GetUtcNow(),
    };

    [Fact]
    public async Task A_request_reads_back_whole_and_pending()
    {
        var stored = await Store.RequestAsync(Request("ap-1"));

        var read = await Store.GetAsync("ap-1");

        Assert.Equal(stored, read);
        Assert.NotNull(read);
        Assert.Equal(ApprovalStatus.Pending, read.Status);
        Assert.Equal("""{"to":"john@example.com"}""", read.Arguments);
        Assert.Equal(2, read.Step);
        Assert.Equal(Time.GetUtcNow(), read.RequestedAt);
        Assert.Null(read.DecidedBy);
    }

    [Fact]
    public async Task Asking_again_for_the_same_call_returns_the_first_request_with_its_decision()
    {
        await Store.RequestAsync(Request("ap-1"));
        await Store.DecideAsync("ap-1", true, "alice", "checked", Time.GetUtcNow());

        var again = await Store.RequestAsync(Request("ap-2"));

        Assert.Equal("ap-1", again.Id);
        Assert.Equal(ApprovalStatus.Approved, again.Status);
        Assert.Single(await Store.ListAsync());
    }

    [Fact]
    public async Task The_same_key_with_other_arguments_is_another_request()
    {
        await Store.RequestAsync(Request("ap-1"));

        var other = await Store.RequestAsync(Request("ap-2", arguments: """{"to":"mallory@evil.test"}"""));

        Assert.Equal("ap-2", other.Id);
        Assert.Equal(ApprovalStatus.Pending, other.Status);
    }

    [Fact]
    public async Task A_request_is_decided_once_and_the_first_decision_stands()
    {
        await Store.RequestAsync(Request("ap-1"));
        Time.Advance(TimeSpan.FromMinutes(3));

        var denied = await Store.DecideAsync("ap-1", false, "bob", "wrong customer", Time.GetUtcNow());
        var late = await Store.DecideAsync("ap-1", true, "alice", null, Time.GetUtcNow());

        Assert.NotNull(denied);
        Assert.Equal(ApprovalStatus.Denied, denied.Status);
        Assert.Equal("bob", denied.DecidedBy);
        Assert.Equal("wrong customer", denied.Reason);
        Assert.Equal(Time.GetUtcNow(), denied.DecidedAt);
        Assert.Null(late);
        Assert.Equal(ApprovalStatus.Denied, (await Store.GetAsync("ap-1"))!.Status);
        Assert.Null(await Store.DecideAsync("ap-unknown", true, "alice", null, Time.GetUtcNow()));
    }

    [Fact]
    public async Task Requests_are_found_by_a_unique_prefix_only()
    {
        await Store.RequestAsync(Request("ap-abc1", key: "r1/1/0"));
        await Store.RequestAsync(Request("ap-abc2", key: "r1/1/1"));

        Assert.Equal("ap-abc1", (await Store.GetAsync("ap-abc1"))?.Id);
        Assert.Null(await Store.GetAsync("ap-abc"));
        Assert.Null(await Store.GetAsync("ap-%"));
        Assert.Null(await Store.GetAsync("zz"));
    }

    [Fact]
    public async Task Lists_are_newest_first_and_filter_by_status_and_run()
    {
        await Store.RequestAsync(Request("ap-1", key: "r1/1/0"));
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.RequestAsync(Request("ap-2", key: "r2/1/0", run: "r2"));
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.RequestAsync(Request("ap-3", key: "r1/3/0"));
        await Store.DecideAsync("ap-3", true, "alice", null, Time.GetUtcNow());

        Assert.Equal(["ap-3", "ap-2", "ap-1"], (await Store.ListAsync()).Select(r => r.Id));
        Assert.Equal(["ap-2", "ap-1"], (await Store.ListAsync(ApprovalStatus.Pending)).Select(r => r.Id));
        Assert.Equal(["ap-3", "ap-1"], (await Store.ListAsync(runId: "r1")).Select(r => r.Id));
        Assert.Equal(["ap-3"], (await Store.ListAsync(limit: 1)).Select(r => r.Id));
    }
}
