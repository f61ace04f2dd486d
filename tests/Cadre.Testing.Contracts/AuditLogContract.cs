using Cadre.Tools;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IAuditLog"/> must do: entries read back whole, in the order they were appended, and
/// filter by run, tool, agent and status, keeping the newest when limited.</summary>
public abstract class AuditLogContract : IAsyncLifetime
{
    protected IAuditLog Audit { get; private set; } = null!;

    /// <summary>Opens an empty log.</summary>
    protected abstract Task<IAuditLog> CreateStoreAsync();

    public async Task InitializeAsync() => Audit = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    public static AuditEntry Entry(int i, string run = "r1", string agent = "billing", ToolCallStatus status = ToolCallStatus.Succeeded) => new()
    {
        At = DateTimeOffset.UnixEpoch.AddMinutes(i), RunId = run, Step = i, Agent = agent, Tool = i % 2 == 0 ? "send_email" : "lookup_invoice",
        CallId = $"call_{i}", Key = $"{run}/{i}/0", Arguments = "{\"i\":" + i + "}", Status = status, Result = $"result {i}",
        Detail = i == 1 ? null : "detail", Duration = TimeSpan.FromMilliseconds(i * 1.5),
    };

    [Fact]
    public async Task The_audit_log_keeps_entries_in_order_and_filters_them()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Audit.AppendAsync(Entry(i, status: i == 4 ? ToolCallStatus.Denied : ToolCallStatus.Succeeded));
        }

        await Audit.AppendAsync(Entry(6, run: "r2", agent: "triage"));

        Assert.Equal([1, 2, 3, 4, 5, 6], (await Audit.QueryAsync(new AuditQuery())).Select(e => e.Step));
        Assert.Equal(Entry(1), (await Audit.QueryAsync(new AuditQuery()))[0]);
        Assert.Equal(Entry(3), (await Audit.QueryAsync(new AuditQuery { RunId = "r1", Tool = "lookup_invoice" }))[1]);
        Assert.Equal([4], (await Audit.QueryAsync(new AuditQuery { Status = ToolCallStatus.Denied })).Select(e => e.Step));
        Assert.Equal([6], (await Audit.QueryAsync(new AuditQuery { Agent = "triage" })).Select(e => e.Step));
        Assert.Equal([4, 5, 6], (await Audit.QueryAsync(new AuditQuery { Limit = 3 })).Select(e => e.Step));
    }
}
