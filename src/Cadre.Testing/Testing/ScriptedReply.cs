namespace Cadre.Testing;

/// <summary>One canned model reply: text, tool calls, or an error to throw, optionally after a delay and only for a
/// given agent.</summary>
public sealed record ScriptedReply
{
    /// <summary>The reply's text.</summary>
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

    /// <summary>A text reply.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply Say(string text) => new() { Text = text };

    /// <summary>A reply that calls tools.</summary>
    /// <param name="calls">The calls.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply Call(params IReadOnlyList<ScriptedToolCall> calls) => new() { ToolCalls = calls };

    /// <summary>A reply that calls one tool with arguments serialised from an object.</summary>
    /// <param name="tool">The tool's name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply Call(string tool, object arguments) => Call(ScriptedToolCall.With(tool, arguments));

    /// <summary>A reply that fails like a model service would.</summary>
    /// <param name="message">The error.</param>
    /// <param name="statusCode">The HTTP status, if any.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply Fail(string message, int? statusCode = null) => new() { Error = message, StatusCode = statusCode };
}
