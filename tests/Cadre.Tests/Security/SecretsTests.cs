using System.Diagnostics;
using System.Text;
using Cadre.Models;
using Cadre.Security;
using Cadre.Tests.Support;

namespace Cadre.Tests.Security;

/// <summary>Secrets never land in what a run leaves behind: output, workspace, cassette, audit, spans.</summary>
public sealed class SecretsTests : IDisposable
{
    private const string ApiKey = "sk-canary-7d1f0c3b9e2a4f6b";
    private const string HandedToken = "tok-canary-c0ffee5eed1234";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Credentials_in_a_model_url_are_never_shown()
    {
        var spec = ModelSpec.Parse("ollama:llama3.1@http://admin:pa55-w0rd@127.0.0.1:11434");

        Assert.Equal("ollama:llama3.1@http://admin:***@127.0.0.1:11434", spec.Name);
        Assert.Equal("ollama:llama3.1@http://admin:***@127.0.0.1:11434", spec.ToString());
        Assert.Equal("pa55-w0rd", spec.Endpoint!.UserInfo.Split(':')[1]); // the client still gets them
        Assert.Equal("http://h/x?api_key=***&q=1", SecretRedactor.RedactUrlCredentials("http://h/x?api_key=abc123&q=1"));
    }

    [Fact]
    public async Task A_run_with_credentials_in_its_model_url_prints_and_stores_none_and_resume_asks_for_the_model_again()
    {
        _dir.Write("cadre.yaml", "model: scripted:s.json\nagents:\n  helper: { instructions: Help. }\nworkflow: { type: sequential }\n");

        var run = await CliRunner.RunAsync(_dir.Path, "run", ".", "hi", "--model", "ollama:llama3@http://user:pa55-w0rd-canary@127.0.0.1:9");
        var id = run.Lines[0].Split(' ')[1];
        var resume = await CliRunner.RunAsync(_dir.Path, "resume", id);

        Assert.Contains("model ollama:llama3@http://user:***@127.0.0.1:9", run.Out);
        Assert.DoesNotContain("canary", run.Out + run.Error, StringComparison.Ordinal);
        Assert.Empty(FilesContaining("pa55-w0rd-canary"));
        Assert.Equal(2, resume.ExitCode);
        Assert.Contains("was started with a model whose URL holds credentials, which are not stored; give it again", resume.Error);
    }

    private IEnumerable<string> FilesContaining(string secret)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = Encoding.UTF8.GetBytes(secret);
        return Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(bytes) >= 0);
    }

    [Fact]
    public async Task A_canary_key_appears_in_no_artefact_of_a_run()
    {
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var text = new StringBuilder(a.DisplayName).Append(' ').Append(a.OperationName);
                foreach (var tag in a.TagObjects)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                }

                foreach (var e in a.Events)
                {
                    text.Append(' ').Append(e.Name);
                    foreach (var tag in e.Tags)
                    {
                        text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                    }
                }

                lock (spans)
                {
                    spans.Add(text.ToString());
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var model = await OpenAIStubServer.StartAsync();
        model.Enqueue(
            OpenAIStubServer.StubReply.Call("call_1", "read_env", """{"name":"NOTE_TOKEN"}"""),
            OpenAIStubServer.StubReply.Call("call_2", "read_env", """{"name":"OPENAI_API_KEY"}"""),
            OpenAIStubServer.StubReply.Say("The token is safe."));
        var server = RepoPaths.McpTestServer.Replace("\\", "/", StringComparison.Ordinal);
        _dir.Write("cadre.yaml", $$"""
            model: openai:gpt-4o-mini
            tools:
              mcp:
                - { command: dotnet, args: ["{{server}}"], env: { NOTE_TOKEN: "${NOTE_TOKEN_OF_HOST}" } }
            agents:
              helper: { instructions: Read the note token., tools: [cadre-test] }
            workflow: { type: sequential }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = ApiKey,
            ["OPENAI_BASE_URL"] = model.BaseUrl.ToString(),
            ["NOTE_TOKEN_OF_HOST"] = HandedToken,
        };

        var result = await CliRunner.RunAsync(_dir.Path, environment, default, "run", ".", "what is the note token?", "--record", "run.cassette.json");

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Equal($"Bearer {ApiKey}", model.Requests[0].Authorization); // the key was used...
        var toolResults = model.Requests[2].Body["messages"]!.ToJsonString();
        Assert.Contains("[redacted]", toolResults, StringComparison.Ordinal); // ...and the server's answer was hidden
        Assert.Contains("(unset)", toolResults, StringComparison.Ordinal); // the server never had the host's key
        Assert.True(File.Exists(_dir.Combine("run.cassette.json")));
        lock (spans)
        {
            Assert.Contains(spans, s => s.Contains("read_env", StringComparison.Ordinal)); // the spans were seen
        }

        foreach (var canary in new[] { ApiKey, HandedToken })
        {
            Assert.DoesNotContain(canary, result.Out + result.Error, StringComparison.Ordinal);
            Assert.Empty(FilesContaining(canary)); // workspace (database, WAL), cassette, audit, outbox
            lock (spans)
            {
                Assert.DoesNotContain(spans, s => s.Contains(canary, StringComparison.Ordinal));
            }
        }
    }
}
