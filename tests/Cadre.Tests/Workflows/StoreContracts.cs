using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Workflows;
using Cadre.Workspaces;

namespace Cadre.Tests.Workflows;

/// <summary>The in-memory workspace passes the run-store contract.</summary>
public sealed class InMemoryRunStoreTests : RunStoreContract
{
    protected override Task<IWorkspace> CreateWorkspaceAsync() => Task.FromResult<IWorkspace>(new InMemoryWorkspace());
}

/// <summary>The in-memory workspace passes the ledger contract.</summary>
public sealed class InMemoryToolLedgerTests : ToolLedgerContract
{
    protected override Task<IWorkspace> CreateWorkspaceAsync() => Task.FromResult<IWorkspace>(new InMemoryWorkspace());
}

/// <summary>The SQLite workspace passes the ledger contract on a real file.</summary>
public sealed class SqliteToolLedgerTests : ToolLedgerContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IWorkspace> CreateWorkspaceAsync() => await SqliteWorkspace.OpenAsync(_dir.Combine("ws"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The SQLite workspace passes the run-store contract on a real file, and backs each lease with an OS lock:
/// a holder on this host whose process is gone is taken over at once, however fresh its lease.</summary>
public sealed class SqliteRunStoreTests : RunStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IWorkspace> CreateWorkspaceAsync() => await SqliteWorkspace.OpenAsync(_dir.Combine("ws"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_holder_on_this_host_whose_lock_is_gone_is_taken_over_before_its_lease_lapses()
    {
        var run = await NewRunAsync();
        var now = DateTimeOffset.UtcNow;
        var host = Environment.MachineName;
        await using (var other = await SqliteWorkspace.OpenAsync(_dir.Combine("ws")))
        {
            Assert.True((await other.Runs.ClaimAsync(run, new RunOwner("A", host, 1), now, TimeSpan.FromMinutes(5))).Claimed);
            // While the holder's workspace (its process) is open, its OS lock keeps everyone out.
            var refused = await Workspace.Runs.ClaimAsync(run, new RunOwner("B", host, 2), now, TimeSpan.FromMinutes(5));
            Assert.False(refused.Claimed);
            Assert.Equal("A", refused.Lease.Owner.Id);
        }

        // The holder is gone (its locks released as the kernel does on exit): taken over at once.
        var claim = await Workspace.Runs.ClaimAsync(run, new RunOwner("B", host, 2), now + TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.True(claim.Claimed);
        Assert.Equal(2, claim.Lease.Epoch);
    }

    [Fact]
    public async Task A_holder_on_another_host_is_waited_out_until_its_lease_lapses()
    {
        var run = await NewRunAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var other = await SqliteWorkspace.OpenAsync(_dir.Combine("ws")))
        {
            await other.Runs.ClaimAsync(run, new RunOwner("A", "another-host", 1), now, TimeSpan.FromMinutes(5));
        }

        Assert.False((await Workspace.Runs.ClaimAsync(run, new RunOwner("B", Environment.MachineName, 2), now + TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5))).Claimed);
        Assert.True((await Workspace.Runs.ClaimAsync(run, new RunOwner("B", Environment.MachineName, 2), now + TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(5))).Claimed);
    }
}
