using Cadre.Postgres;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Workspaces;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory run store passes the contract.</summary>
public sealed class InMemoryRunStoreTests : PendingToolCallContract
{
    protected override Task<IRunStore> CreateStoreAsync() => Task.FromResult<IRunStore>(new InMemoryWorkspace());
}

/// <summary>The SQLite run store passes the contract on a real file, and backs each lease with an OS lock: a holder on
/// this host whose process is gone is taken over at once, however fresh its lease.</summary>
public sealed class SqliteRunStoreTests : PendingToolCallContract
{
    private readonly TempDirectory _dir = new();
    private SqliteWorkspace? _workspace;

    protected override async Task<IRunStore> CreateStoreAsync() => (_workspace = await SqliteWorkspace.OpenAsync(_dir.Path)).RunStore;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task A_holder_on_this_host_whose_lock_is_gone_is_taken_over_before_its_lease_lapses()
    {
        var run = await NewRunAsync();
        var now = DateTimeOffset.UtcNow;
        var host = Environment.MachineName;
        await using (var other = await SqliteWorkspace.OpenAsync(_dir.Path))
        {
            Assert.True((await other.Runs.ClaimAsync(run, new RunOwner("A", host, 1), now, TimeSpan.FromMinutes(5))).Claimed);
            // While the holder's workspace (its process) is open, its OS lock keeps everyone out.
            var refused = await Runs.ClaimAsync(run, new RunOwner("B", host, 2), now, TimeSpan.FromMinutes(5));
            Assert.False(refused.Claimed);
            Assert.Equal("A", refused.Lease.Owner.Id);
        }

        // The holder is gone (its locks released as the kernel does on exit): taken over at once.
        var claim = await Runs.ClaimAsync(run, new RunOwner("B", host, 2), now + TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.True(claim.Claimed);
        Assert.Equal(2, claim.Lease.Epoch);
    }

    [Fact]
    public async Task A_holder_on_another_host_is_waited_out_until_its_lease_lapses()
    {
        var run = await NewRunAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var other = await SqliteWorkspace.OpenAsync(_dir.Path))
        {
            await other.Runs.ClaimAsync(run, new RunOwner("A", "another-host", 1), now, TimeSpan.FromMinutes(5));
        }

        Assert.False((await Runs.ClaimAsync(run, new RunOwner("B", Environment.MachineName, 2), now + TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5))).Claimed);
        Assert.True((await Runs.ClaimAsync(run, new RunOwner("B", Environment.MachineName, 2), now + TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(5))).Claimed);
    }
}

/// <summary>The PostgreSQL run store passes the contract on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRunStoreTests(PostgresServer server) : PendingToolCallContract
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IRunStore> CreateStoreAsync() => await PostgresRunStore.OpenAsync(await _databases.OpenAsync());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
