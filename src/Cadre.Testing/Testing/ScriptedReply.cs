namespace Cadre.Testing;

/// <summary>One canned model reply: text, tool calls, or an error to throw, optionally after a delay and only for a
/// given agent.</summary>
public sealed record ScriptedReply
{
    /// <summary>The text the reply answers with; none when null (a reply of tool calls only).</summary>
    public string? Text { get; init; }

    /// <summary>Tool calls the reply asks for.</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    /// <summary>When set, the call fails with this message instead of replying (as a model service error would).</summary>
    public string? Error { get; init; }

    /// <summary>When set with <see cref="Error"/>, the HTTP status the failure carries (429, 500, ...).</summary>
    public int? StatusCode { get; init; }

    /// <summary>When set with <see cref="Error"/>, the wait the failure asks for (its Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How long the reply takes (added to the client's per-call delay).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When set, only this agent may receive the reply; another agent asking gets a clear error.</summary>
    public string? Agent { get; init; }

    /// <summary>A reply that answers <paramref name="text"/> and calls no tool, for whichever agent asks.</summary>
    public static ScriptedReply Say(string text) => new() { Text = text };

    /// <summary>A reply without text that asks for <paramref name="calls"/>, all in one message, for whichever agent
    /// asks.</summary>
    public static ScriptedReply Call(params IReadOnlyList<ScriptedToolCall> calls) => new() { ToolCalls = calls };

    /// <summary>A reply that calls one tool with arguments serialised from an object.</summary>
    /// <param name="tool">The name of the tool to call; not checked, so a test can call a tool that does not exist.</param>
    /// <param name="arguments">An anonymous object or a dictionary, serialised with System.Text.Json's defaults.</param>
    public static ScriptedReply Call(string tool, object arguments) => Call(ScriptedToolCall.With(tool, arguments));

    /// <summary>A reply that fails like a model service would.</summary>
    /// <param name="message">The message of the <see cref="Resilience.ModelCallException"/> the call throws.</param>
    /// <param name="statusCode">The HTTP status it carries (408, 429 and 5xx count as transient and are retried, as from a real service); none when null.</param>
    public static ScriptedReply Fail(string message, int? statusCode = null) => new() { Error = message, StatusCode = statusCode };
}
