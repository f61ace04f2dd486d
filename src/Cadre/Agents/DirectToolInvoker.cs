using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>
/// Calls the requested function directly: finds it among the agent's tools, invokes it, and turns every failure
/// (unknown tool, malformed arguments, an exception) into a tool error for the model. No permissions, approval or
/// limits: that is the governed invoker's job.
/// </summary>
public sealed class DirectToolInvoker : IToolInvoker
{
    /// <summary>The shared instance.</summary>
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
            var known = string.Join(", ", request.Tools.Select(t => t.Name));
            return Done(ToolCallStatus.UnknownTool, ToolResults.Error(
                $"there is no tool named '{call.Name}'. Available tools: {(known.Length == 0 ? "none" : known)}."));
        }

        if (call.Exception is not null)
        {
            return Done(ToolCallStatus.InvalidArguments, ToolResults.Error(
                $"the arguments for '{call.Name}' are not valid JSON ({call.Exception.Message}). Send a JSON object."));
        }

        try
        {
            var result = await function.InvokeAsync(new AIFunctionArguments(call.Arguments), cancellationToken);
            return Done(ToolCallStatus.Succeeded, ToolResults.Format(result));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidCastException or FormatException)
        {
            return Done(ToolCallStatus.InvalidArguments, ToolResults.Error(
                $"the arguments for '{call.Name}' do not fit its parameters: {ex.Message}"));
        }
#pragma warning disable CA1031 // A failing tool must never end the run: its error goes back to the model.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Done(ToolCallStatus.Failed, ToolResults.Error($"'{call.Name}' failed: {ex.Message}"));
        }
    }
}
