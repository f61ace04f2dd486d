using System.ClientModel;
using System.ComponentModel;
using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Models;
using Cadre.OpenAI;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tests.Support;
using Cadre.Tools;
using Cadre.Workflows;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Models;

/// <summary>The real Microsoft.Extensions.AI.OpenAI client over real HTTP against a local OpenAI-compatible server.</summary>
public sealed class OpenAICompatibleTests : IAsyncLifetime
{
    private OpenAIStubServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAIStubServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Cadre's own retries are switched off here: these tests are about the OpenAI client over HTTP. Retrying is
    // tested in Resilience/ModelChainTests against the same server.
    private ModelChain Chain(string spec = "openai:gpt-4o-mini") => ModelChain.Parse(spec, OpenAIModels.AddTo(new ModelOptions
    {
        Resilience = new ResilienceOptions { Retry = new RetryOptions { MaxRetries = 0 } },
        GetEnvironmentVariable = name => name switch
        {
            "OPENAI_API_KEY" => "sk-test",
            "OPENAI_BASE_URL" => _server.BaseUrl.ToString(),
            _ => null,
        },
    }));

    [Description("Looks up an invoice.")]
    private static string LookupInvoice(string invoiceId) => $"{invoiceId}: 49.00 USD, charged twice";

    [Fact]
    public async Task A_text_reply_comes_back_with_its_usage_and_the_request_carries_model_key_and_messages()
    {
        _server.Enqueue(OpenAIStubServer.StubReply.Say("Hello from the stub"));
        using var chain = Chain();

        var response = await chain.Client.GetResponseAsync([new ChatMessage(ChatRole.System, "be kind"), new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("Hello from the stub", response.Text);
        Assert.Equal(11, response.Usage?.InputTokenCount);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-test", request.Authorization);
        Assert.Equal("gpt-4o-mini", (string?)request.Body["model"]);
        var messages = request.Body["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => (string?)m!["role"]));
    }

    [Fact]
    public async Task An_agent_calls_a_tool_the_server_asked_for_and_sends_the_result_back()
    {
        _server.Enqueue(
            OpenAIStubServer.StubReply.Call("call_abc", "lookup_invoice", """{"invoiceId":"INV-1001"}"""),
            OpenAIStubServer.StubReply.Say("INV-1001 was charged twice."));
        using var chain = Chain();
        var agent = new Agent("billing", chain.Client, "Resolve billing problems.").WithTools(AIFunctionFactory.Create(LookupInvoice, "lookup_invoice"));

        var response = await agent.RunAsync("Check INV-1001");

        Assert.Equal("INV-1001 was charged twice.", response.Text);
        var call = Assert.Single(response.ToolCalls);
        Assert.Equal(("lookup_invoice", ToolCallStatus.Succeeded, "INV-1001: 49.00 USD, charged twice"), (call.Tool, call.Status, call.Result));
        Assert.Equal(new TokenUsage(22, 14), response.Usage);
        var first = _server.Requests[0].Body;
        Assert.Equal("lookup_invoice", (string?)first["tools"]![0]!["function"]!["name"]);
        var second = _server.Requests[1].Body["messages"]!.AsArray();
        var toolMessage = second.Single(m => (string?)m!["role"] == "tool")!;
        Assert.Equal("call_abc", (string?)toolMessage["tool_call_id"]);
        Assert.Equal("INV-1001: 49.00 USD, charged twice", (string?)toolMessage["content"]);
        Assert.Equal("call_abc", (string?)second.Single(m => (string?)m!["role"] == "assistant")!["tool_calls"]![0]!["id"]);
    }

    [Fact]
    public async Task A_streamed_reply_arrives_in_pieces_and_adds_up_to_the_text_and_usage()
    {
        _server.Enqueue(OpenAIStubServer.StubReply.Say("one two three four"));
        using var chain = Chain();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chain.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "count")]))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 4);
        var response = updates.ToChatResponse();
        Assert.Equal("one two three four", response.Text);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        Assert.True((bool?)_server.Requests[0].Body["stream"]);
    }

    [Fact]
    public async Task A_streamed_tool_call_is_assembled_from_its_fragments()
    {
        _server.Enqueue(OpenAIStubServer.StubReply.Call("call_s1", "lookup_invoice", """{"invoiceId":"INV-2001"}"""));
        using var chain = Chain();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chain.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "look it up")],
            new ChatOptions { Tools = [AIFunctionFactory.Create(LookupInvoice, "lookup_invoice")] }))
        {
            updates.Add(update);
        }

        var call = updates.ToChatResponse().Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal(("call_s1", "lookup_invoice"), (call.CallId, call.Name));
        Assert.Equal("INV-2001", call.Arguments!["invoiceId"]!.ToString());
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    public async Task A_server_error_surfaces_with_its_status_and_the_SDK_does_not_retry_behind_Cadres_back(int status)
    {
        _server.Enqueue(OpenAIStubServer.StubReply.Error(status, retryAfter: "1"));
        using var chain = Chain();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chain.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(status, error.Status);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_workflow_whose_model_returns_429_with_retries_exhausted_is_dead_lettered_with_the_reason()
    {
        _server.Enqueue(OpenAIStubServer.StubReply.Error(429));
        using var chain = Chain();
        await using var workspace = new InMemoryWorkspace();

        var run = await Workflow.Sequential(new Agent("solo", chain.Client, "x")).RunAsync("hello", workspace);

        Assert.Equal(RunStatus.DeadLettered, run.Status);
        Assert.Contains("429", run.Error, StringComparison.Ordinal);
        var record = await workspace.Runs.GetRunAsync(run.Id);
        Assert.Equal(RunStatus.DeadLettered, record!.Status);
        Assert.Equal(run.Error, record.Error);
        var letter = Assert.Single(await workspace.DeadLetters.ListAsync());
        Assert.Equal((run.Id, "hello", "solo"), (letter.RunId, letter.Task, letter.Agent));
    }
}
