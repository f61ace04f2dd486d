using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cadre.Tests.Support;

/// <summary>
/// A local OpenAI-compatible server on 127.0.0.1 (Kestrel) that answers <c>POST /v1/chat/completions</c> with queued
/// replies — text, tool calls, streamed or not, or an HTTP error — and keeps every request it received.
/// </summary>
public sealed class OpenAIStubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubReply> _replies = new();
    private readonly ConcurrentQueue<StubRequest> _requests = new();

    private OpenAIStubServer(WebApplication app)
    {
        _app = app;
    }

    public sealed record StubRequest(JsonObject Body, string? Authorization);

    public sealed record StubToolCall(string Id, string Name, string Arguments);

    public sealed record StubReply
    {
        public string? Text { get; init; }
        public IReadOnlyList<StubToolCall> ToolCalls { get; init; } = [];
        public int Status { get; init; } = 200;
        public string? RetryAfter { get; init; }
        public int PromptTokens { get; init; } = 11;
        public int CompletionTokens { get; init; } = 7;

        public static StubReply Say(string text) => new() { Text = text };
        public static StubReply Call(string id, string name, string arguments) => new() { ToolCalls = [new StubToolCall(id, name, arguments)] };
        public static StubReply Error(int status, string? retryAfter = null) => new() { Status = status, RetryAfter = retryAfter };
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<StubRequest> Requests => _requests.ToList();

    public static async Task<OpenAIStubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new OpenAIStubServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First() + "/v1");
        return server;
    }

    public OpenAIStubServer Enqueue(params StubReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        _requests.Enqueue(new StubRequest(body, http.Request.Headers.Authorization.ToString()));
        if (!_replies.TryDequeue(out var reply))
        {
            reply = StubReply.Error(500);
        }

        if (reply.Status != 200)
        {
            http.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = reply.RetryAfter;
            }

            await http.Response.WriteAsJsonAsync(new { error = new { message = $"stub error {reply.Status}", type = "server_error", code = reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
            return;
        }

        var model = (string?)body["model"] ?? "stub";
        var stream = (bool?)body["stream"] == true;
        if (!stream)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text };
            if (reply.ToolCalls.Count > 0)
            {
                message["tool_calls"] = new JsonArray(reply.ToolCalls.Select(c => (JsonNode?)new JsonObject
                {
                    ["id"] = c.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
                }).ToArray());
            }

            var completion = new JsonObject
            {
                ["id"] = "chatcmpl-stub",
                ["object"] = "chat.completion",
                ["created"] = 1_764_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = message,
                    ["finish_reason"] = reply.ToolCalls.Count > 0 ? "tool_calls" : "stop",
                }),
                ["usage"] = Usage(reply),
            };
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(completion.ToJsonString());
            return;
        }

        http.Response.ContentType = "text/event-stream";
        async Task Send(JsonObject delta, string? finish, JsonObject? usage = null)
        {
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-stub",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_764_000_000,
                ["model"] = model,
                ["choices"] = usage is null
                    ? new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish })
                    : new JsonArray(),
            };
            if (usage is not null)
            {
                chunk["usage"] = usage;
            }

            await http.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", Encoding.UTF8);
            await http.Response.Body.FlushAsync();
        }

        await Send(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);
        if (reply.Text is { } text)
        {
            foreach (var piece in text.Split(' ').Select((w, i) => i == 0 ? w : " " + w))
            {
                await Send(new JsonObject { ["content"] = piece }, null);
            }
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var call = reply.ToolCalls[i];
            var half = call.Arguments.Length / 2;
            await Send(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["id"] = call.Id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments[..half] } }) }, null);
            await Send(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = call.Arguments[half..] } }) }, null);
        }

        await Send(new JsonObject(), reply.ToolCalls.Count > 0 ? "tool_calls" : "stop");
        await Send(new JsonObject(), null, Usage(reply));
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Usage(StubReply reply) => new()
    {
        ["prompt_tokens"] = reply.PromptTokens,
        ["completion_tokens"] = reply.CompletionTokens,
        ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
    };
}
