using System.Net;
using Cadre.Dashboard;
using Cadre.Runs;
using Cadre.Tests.Support;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Postgres;

/// <summary>The dashboard opens a PostgreSQL workspace that a cluster of hosts shares: its run list pages and searches
/// the runs any host wrote, over real HTTP.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDashboardTests(PostgresServer server) : IAsyncLifetime
{
    private readonly PostgresDatabases _databases = new(server);
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _databases.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_runs_page_lists_and_searches_runs_written_by_another_host()
    {
        var host = await _databases.OpenWorkspaceAsync();
        var start = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        foreach (var (id, task, minutes) in new[] { ("run-refund", "Refund INV-7 for john@example.com", 0), ("run-address", "Change the billing address", 1) })
        {
            var run = new RunRecord { Id = id, Workflow = "sequential", Task = task, StartedAt = start.AddMinutes(minutes) };
            await host.Runs.CreateRunAsync(run, [new ChatMessage(ChatRole.User, task)], new WorkflowState { Task = task, NextAgent = "a" });
        }

        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions { Workspace = _databases.Url!, Port = 0, CurrentDirectory = _dir.Path });
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = dashboard.Address };

        var all = await client.GetStringAsync(dashboard.SignInUrl);
        var found = await client.GetStringAsync("/runs?q=inv-7");

        Assert.Contains("data-run=\"run-refund\"", all, StringComparison.Ordinal);
        Assert.Contains("data-run=\"run-address\"", all, StringComparison.Ordinal);
        Assert.Contains("2 runs", all, StringComparison.Ordinal);
        Assert.Contains("data-run=\"run-refund\"", found, StringComparison.Ordinal);
        Assert.DoesNotContain("data-run=\"run-address\"", found, StringComparison.Ordinal);
        Assert.Contains("1 runs", found, StringComparison.Ordinal);
        // The header names the database, never a folder path made of the URL.
        Assert.Contains($"/{new Uri(_databases.Url!).AbsolutePath.TrimStart('/')}</span>", all, StringComparison.Ordinal);
    }
}
