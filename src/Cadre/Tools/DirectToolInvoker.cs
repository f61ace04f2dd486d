using System.Diagnostics;
using Cadre.Conversations;

namespace Cadre.Tools;

/// <summary>
/// Calls the requested function directly: finds it among the agent's tools, invokes it, and turns every failure
/// (unknown tool, malformed arguments, an exception) into a tool error for the model. No permissions, approval or
/// limits: that is the governed invoker's job.
/// </summary>
public sealed class DirectToolInvoker : IToolInvoker
{
    /// <summary>The one instance every agent without a governed invoker shares; it holds no state.</summary>
    public static DirectToolInvoker Instance { get; } = new();

    /// <inheritdoc />
    public async Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = request.Call;
        var arguments = ToolResults.FormatArguments(call);
        var started = Stopwatch.GetTimestamp();

        ToolCallRecord Done(ToolCallStatus status, string result) =>
            new(call.CallId, call.Name, arguments, status, result, Stopwatch.GetElapsedTime(started));

        var function = request.Tools.FirstOrDefault(t => string.Equals(t.Name, call.Name, StringComparison.Ordinal));
        if (function is null)
        {
            return Done(ToolCallStatus.UnknownTool, ToolErrors.UnknownTool(call.Name, request.Tools.Select(t => t.Name)));
        }

        if (call.Exception is not null)
        {
            return Done(ToolCallStatus.InvalidArguments, ToolErrors.MalformedArguments(call.Name, call.Exception));
        }

        try
        {
            var result = await function.InvokeAsync(request.Caller().Arguments(call.Arguments), cancellationToken);
            return Done(ToolCallStatus.Succeeded, ToolResults.Format(result));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failing tool must never end the run: its error goes back to the model.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (status, text) = ToolErrors.Describe(call.Name, ex);
            return Done(status, text);
        }
    }
}
