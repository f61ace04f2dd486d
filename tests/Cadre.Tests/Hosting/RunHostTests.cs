using System.Collections.Concurrent;
using System.Reflection;
using Cadre.Agents;
using Cadre.Hosting;
using Cadre.Models;
using Cadre.Observability;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Hosting;

/// <summary>The hosting library runs a spec the way <c>cadre run</c> does, from a service provider, with no console.</summary>
public sealed class RunHostTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LogCollector _log = new();

    public RunHostTests()
    {
        _dir.Write("desk/cadre.yaml", """
            model: scripted:script.json
            agents:
              researcher: { instructions: Find facts. }
              writer: { instructions: Write the reply. }
            workflow: { type: sequential }
            """);
    }

    public void Dispose()
    {
        _log.Dispose();
        _dir.Dispose();
    }

    private ServiceProvider Services(TimeProvider? time = null, Action<CadreHostOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services
            .AddCadre(options =>
            {
                options.CurrentDirectory = _dir.Path;
                configure?.Invoke(options);
            })
            .BuildServiceProvider();
    }

    [Fact(Timeout = 60_000)]
    public async Task AddCadre_gives_a_RunHost_that_runs_a_spec_on_the_providers_clock_and_logs_through_its_logger()
    {
        _dir.Write("desk/script.json", """{ "replies": [ { "agent": "researcher", "text": "Fact: charged twice." }, { "agent": "writer", "text": "We will refund you." } ] }""");
        var start = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        await using var provider = Services(new FakeTimeProvider(start));
        var host = provider.GetRequiredService<RunHost>();
        RunSetup? setup = null;
        var events = new ConcurrentQueue<RunEvent>();

        var result = await host.RunAsync(
            new RunHost.Settings("desk", "ws")
            {
                Observe = s =>
                {
                    setup = s;
                    return RunObserver.From(events.Enqueue);
                },
            },
            "Reply to John",
            CancellationToken.None);

        Assert.Equal(RunStatus.Completed, result.Run.Status);
        Assert.Equal(("We will refund you.", start), (result.Record.Answer, result.Record.StartedAt));
        Assert.Equal(["researcher", "writer"], result.Run.Steps.Select(s => s.Agent));
        var json = result.ToJson();
        Assert.Equal(("completed", result.Run.Id, 2), ((string?)json["status"], (string?)json["id"], json["steps"]!.AsArray().Count));
        Assert.Contains("scripted", setup!.Model, StringComparison.Ordinal);
        Assert.Contains(events, e => e is RunStarted);
        Assert.True(File.Exists(_dir.Combine("ws", "cadre.db")));
        Assert.Contains(_log.Lines, l => l == $"Debug Cadre: Run {result.Run.Id} of desk (started) ended Completed after 2 steps");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failed_run_resumes_by_id_prefix_with_the_spec_it_recorded_and_another_model()
    {
        _dir.Write("desk/script.json", """{ "replies": [ { "text": "Fact: charged twice." }, { "error": "the model rejected the request", "statusCode": 400 } ] }""");
        _dir.Write("fixed.json", """{ "replies": [ { "agent": "writer", "text": "Refund on its way." } ] }""");
        await using var provider = Services();
        var host = provider.GetRequiredService<RunHost>();

        var failed = await host.RunAsync(new RunHost.Settings("desk", "ws"), "Reply to John", CancellationToken.None);
        Assert.Equal(RunStatus.Failed, failed.Run.Status);
        Assert.Contains("400 the model rejected the request", failed.Record.Error, StringComparison.Ordinal);

        var notices = new ConcurrentQueue<string>();
        var resumed = await host.ResumeAsync(
            new RunHost.Settings("", "ws", Model: "scripted:fixed.json") { Observe = _ => RunObserver.From(e => { if (e is RunNotice n) { notices.Enqueue(n.Text); } }) },
            failed.Run.Id[..12],
            CancellationToken.None);

        Assert.Equal((failed.Run.Id, RunStatus.Completed, "Refund on its way."), (resumed.Run.Id, resumed.Run.Status, resumed.Record.Answer));
        Assert.Contains(notices, n => n.StartsWith($"resuming run {failed.Run.Id} after step 1", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Runs_given_an_open_workspace_run_in_it_and_leave_it_open_for_its_owner()
    {
        _dir.Write("desk/script.json", """{ "replies": [ { "agent": "researcher", "text": "Fact: charged twice." }, { "agent": "writer", "text": "We will refund you." } ] }""");
        await using var provider = Services();
        var host = provider.GetRequiredService<RunHost>();
        await using var workspace = await Cadre.Sqlite.SqliteWorkspace.OpenAsync(Path.Combine(_dir.Path, "shared"));
        // Were the location opened, the run would fail: nothing listens on port 1.
        var settings = new RunHost.Settings("desk", "postgres://nobody@127.0.0.1:1/none") { OpenWorkspace = workspace };

        var results = await Task.WhenAll(host.RunAsync(settings, "Reply to John", CancellationToken.None), host.RunAsync(settings, "Reply to Jane", CancellationToken.None));

        Assert.All(results, r => Assert.Equal((RunStatus.Completed, "We will refund you."), (r.Run.Status, r.Record.Answer)));
        var runs = await workspace.Runs.ListRunsAsync();
        Assert.Equal(results.Select(r => r.Run.Id).Order(), runs.Select(r => r.Id).Order());
        var resumed = await host.ResumeAsync(settings with { Spec = "" }, results[0].Run.Id, CancellationToken.None);
        Assert.Equal((results[0].Run.Id, RunStatus.Completed), (resumed.Run.Id, resumed.Run.Status));
        var letter = await Assert.ThrowsAsync<UsageException>(() => host.RetryDeadLetterAsync(settings, "dl-nope", CancellationToken.None));
        Assert.Contains("no dead letter 'dl-nope'", letter.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await workspace.Runs.ListRunsAsync()).Count);
    }

    [Fact]
    public async Task Unknown_runs_and_dead_letters_are_usage_errors_that_say_where_to_look()
    {
        await using var provider = Services();
        var host = provider.GetRequiredService<RunHost>();
        _dir.Write("desk/script.json", """{ "replies": [ { "text": "a" }, { "text": "b" } ] }""");
        await host.RunAsync(new RunHost.Settings("desk", "ws"), "t", CancellationToken.None);

        var run = await Assert.ThrowsAsync<UsageException>(() => host.ResumeAsync(new RunHost.Settings("", "ws"), "r999999", CancellationToken.None));
        Assert.Equal("The workspace has no run 'r999999' (see: cadre runs list).", run.Message);
        var letter = await Assert.ThrowsAsync<UsageException>(() => host.RetryDeadLetterAsync(new RunHost.Settings("", "ws"), "dl-nope", CancellationToken.None));
        Assert.Contains("no dead letter 'dl-nope'", letter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCadre_registers_once_and_keeps_the_first_configuration()
    {
        var services = new ServiceCollection()
            .AddCadre(o => o.CurrentDirectory = "/first")
            .AddCadre(o => o.CurrentDirectory = "/second");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("/first", provider.GetRequiredService<CadreHostOptions>().CurrentDirectory);
        Assert.Same(provider.GetRequiredService<RunHost>(), provider.GetRequiredService<RunHost>());
    }

    [Fact]
    public void Without_Cadre_Testing_the_core_refuses_scripted_and_replay_models_and_says_where_they_are()
    {
        _dir.Write("s.json", "[]");

        var error = Assert.Throws<ModelSpecException>(() => ModelChain.Parse("scripted:s.json", new ModelOptions { BaseDirectory = _dir.Path }));

        Assert.Contains("Cadre.Testing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_packages_depend_on_what_their_jobs_need_and_no_more()
    {
        static HashSet<string> References(Assembly assembly) =>
            assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Cadre", StringComparison.Ordinal) || n.StartsWith("Microsoft", StringComparison.Ordinal) || n.StartsWith("Polly", StringComparison.Ordinal) || n.StartsWith("OpenAI", StringComparison.Ordinal) || n.StartsWith("Ollama", StringComparison.Ordinal) || n.StartsWith("YamlDotNet", StringComparison.Ordinal) || n.StartsWith("ModelContextProtocol", StringComparison.Ordinal)).ToHashSet();

        // A tools project needs [Tool] and nothing heavy.
        Assert.Equal(["Microsoft.Extensions.AI.Abstractions"], References(typeof(ToolAttribute).Assembly));
        // The sample's tools reference only Cadre.Abstractions.
        var sample = References(typeof(SupportDesk.SupportTools).Assembly);
        Assert.Contains("Cadre.Abstractions", sample);
        Assert.DoesNotContain("Cadre", sample);
        // Production never depends on the test doubles.
        Assert.DoesNotContain("Cadre.Testing", References(typeof(Agent).Assembly));
        Assert.DoesNotContain("Cadre.Testing", References(typeof(Cadre.Sqlite.SqliteWorkspace).Assembly));
        Assert.Equal(typeof(ModelCallException).Assembly, typeof(Agent).Assembly);
    }

    /// <summary>Keeps every log line as "Level Category: message".</summary>
    private sealed class LogCollector : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Collector(LogCollector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }
}
