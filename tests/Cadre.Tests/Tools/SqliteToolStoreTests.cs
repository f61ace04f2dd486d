using Cadre.Agents;
using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workspaces;

namespace Cadre.Tests.Tools;

/// <summary>The audit log and the job store behave the same in memory and in a real SQLite file, and survive
/// reopening the file.</summary>
public sealed class SqliteToolStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Stores => new() { "memory", "sqlite" };

    private async Task<IWorkspace> Open(string kind) =>
        kind == "memory" ? new InMemoryWorkspace() : await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre"));

    private static AuditEntry Entry(int i, string run = "r1", string agent = "billing", ToolCallStatus status = ToolCallStatus.Succeeded) => new()
    {
        At = DateTimeOffset.UnixEpoch.AddMinutes(i), RunId = run, Step = i, Agent = agent, Tool = i % 2 == 0 ? "send_email" : "lookup_invoice",
        CallId = $"call_{i}", Key = $"{run}/{i}/0", Arguments = "{\"i\":" + i + "}", Status = status, Result = $"result {i}",
        Detail = i == 1 ? null : "detail", Duration = TimeSpan.FromMilliseconds(i * 1.5),
    };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_audit_log_keeps_entries_in_order_and_filters_them(string kind)
    {
        await using var workspace = await Open(kind);
        for (var i = 1; i <= 5; i++)
        {
            await workspace.Audit.AppendAsync(Entry(i, status: i == 4 ? ToolCallStatus.Denied : ToolCallStatus.Succeeded));
        }

        await workspace.Audit.AppendAsync(Entry(6, run: "r2", agent: "triage"));

        Assert.Equal([1, 2, 3, 4, 5, 6], (await workspace.Audit.QueryAsync(new AuditQuery())).Select(e => e.Step));
        Assert.Equal(Entry(3), (await workspace.Audit.QueryAsync(new AuditQuery { RunId = "r1", Tool = "lookup_invoice" }))[1]);
        Assert.Equal([4], (await workspace.Audit.QueryAsync(new AuditQuery { Status = ToolCallStatus.Denied })).Select(e => e.Step));
        Assert.Equal([6], (await workspace.Audit.QueryAsync(new AuditQuery { Agent = "triage" })).Select(e => e.Step));
        Assert.Equal([4, 5, 6], (await workspace.Audit.QueryAsync(new AuditQuery { Limit = 3 })).Select(e => e.Step));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_job_store_keeps_one_job_per_key_and_updates_it(string kind)
    {
        await using var workspace = await Open(kind);
        var job = new ToolJob { Id = ToolJob.IdFor("r1/1/0"), Key = "r1/1/0", RunId = "r1", Step = 1, Agent = "a", Tool = "export", Arguments = "{}", StartedAt = DateTimeOffset.UnixEpoch };

        Assert.Equal(job, await workspace.Jobs.AddAsync(job));
        Assert.Equal(job, await workspace.Jobs.AddAsync(job with { Arguments = "{\"other\":1}" }));
        var done = job with { Status = ToolJobStatus.Succeeded, Result = "ok", EndedAt = DateTimeOffset.UnixEpoch.AddMinutes(1) };
        await workspace.Jobs.UpdateAsync(done);

        Assert.Equal(done, await workspace.Jobs.FindAsync(job.Id));
        Assert.Equal([done], await workspace.Jobs.ListAsync("r1"));
        Assert.Empty(await workspace.Jobs.ListAsync("r2"));
        Assert.Null(await workspace.Jobs.FindAsync("job-none"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.Jobs.UpdateAsync(job with { Id = "job-none" }));
    }

    [Fact]
    public async Task Audit_entries_survive_reopening_the_workspace()
    {
        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre")))
        {
            await workspace.Audit.AppendAsync(Entry(1));
        }

        await using var reopened = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre"));
        Assert.Equal([Entry(1)], await reopened.Audit.QueryAsync(new AuditQuery()));
    }
}
