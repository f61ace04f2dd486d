using Cadre.Sqlite;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Security;

/// <summary>Rate limits and exclusive tools hold across processes sharing a workspace: two invokers (as two
/// processes have) on one workspace file, driven by a fake clock, and real processes of the command line.</summary>
public sealed class SharedLimitsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private GovernedToolInvoker Process(SqliteWorkspace workspace) => new(new GovernedToolOptions { Limits = workspace.Limits, Time = _time });

    [Fact]
    public async Task A_rate_limit_counts_the_calls_of_every_process()
    {
        await using var first = await SqliteWorkspace.OpenAsync(_dir.Path);
        await using var second = await SqliteWorkspace.OpenAsync(_dir.Path);
        var sent = 0;
        var send = new ToolDescriptor { RateLimitPerAgent = new ToolRateLimit(2, TimeSpan.FromMinutes(1)) }.Attach(AIFunctionFactory.Create(() => ++sent, "send_sms"));
        Task<ToolCallRecord> Call(GovernedToolInvoker invoker) => invoker.InvokeAsync(ToolCalls.Request("send_sms", "{}", [send], ToolCalls.Run("billing", time: _time)), CancellationToken.None);

        var a = await Call(Process(first));
        var b = await Call(Process(second));
        var refused = await Call(Process(first));
        _time.Advance(TimeSpan.FromMinutes(1));
        var later = await Call(Process(second));

        Assert.Equal([ToolCallStatus.Succeeded, ToolCallStatus.Succeeded, ToolCallStatus.Failed, ToolCallStatus.Succeeded], new[] { a, b, refused, later }.Select(r => r.Status));
        Assert.Equal("Error: 'send_sms' is called too often (at most 2 per minute for each agent). Try again in 60s.", refused.Result);
        Assert.Equal(3, sent);
    }

    [Fact]
    public async Task An_exclusive_tool_waits_for_another_processs_call_and_a_crashed_holders_lease_ends()
    {
        await using var workspace = await SqliteWorkspace.OpenAsync(_dir.Path);
        var runs = 0;
        var reindex = new ToolDescriptor { Exclusive = true, Timeout = TimeSpan.FromSeconds(30), MaxRetries = 0 }.Attach(AIFunctionFactory.Create(() => ++runs, "reindex"));
        // Another process holds the lock, then dies without releasing it.
        Assert.True(await workspace.Limits!.TryLockAsync("lock:reindex", "crashed-process", _time.GetUtcNow(), TimeSpan.FromMinutes(2)));

        var call = Process(workspace).InvokeAsync(ToolCalls.Request("reindex", "{}", [reindex], ToolCalls.Run(time: _time)), CancellationToken.None);
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(119) && !call.IsCompleted; waited += TimeSpan.FromSeconds(1))
        {
            await Task.Yield();
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var ranBeforeTheLeaseEnded = runs;
        while (!call.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }

        Assert.Equal(0, ranBeforeTheLeaseEnded);
        Assert.Equal(ToolCallStatus.Succeeded, (await call).Status);
        Assert.Equal(1, runs);
        Assert.True(await workspace.Limits.TryLockAsync("lock:reindex", "next", _time.GetUtcNow(), TimeSpan.FromMinutes(1))); // released after the call
    }

    [Fact]
    public async Task Separate_command_line_processes_share_send_emails_limit_of_five_a_minute()
    {
        var processes = Enumerable.Range(1, 7).Select(i => CliProcess.Start(_dir.Path, "tools", "call", "send_email", "--spec", RepoPaths.SupportDesk,
            "--args", $$"""{"to":["john@example.com"],"subject":"Note {{i}}","body":"Hello"}""")).ToList();
        try
        {
            var codes = new List<int>();
            foreach (var process in processes)
            {
                codes.Add(await process.ExitAsync(TimeSpan.FromMinutes(3)));
            }

            var outputs = string.Join("\n---\n", processes.Select(p => p.Output));
            Assert.True(codes.Count(c => c == 0) == 5, outputs);
            Assert.True(processes.Count(p => p.Output.Contains("'send_email' is called too often", StringComparison.Ordinal)) == 2, outputs);
            Assert.Equal(5, Directory.GetFiles(_dir.Combine(".cadre", "support-desk", "outbox"), "*.eml").Length);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }
}
