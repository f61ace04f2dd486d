using Cadre.Conversations;
using Cadre.Runs;
using Cadre.Tools;

namespace Cadre.Workflows;

/// <summary>Writes a side-effecting tool call to the run's checkpoint as pending before it runs (write-ahead), so a
/// crash mid-step leaves a trace of what may have happened.</summary>
internal sealed class PendingToolCallRecorder(IToolInvoker inner, IRunStore runs) : IToolInvoker
{
    public IToolInvoker Inner { get; } = inner;

    public async Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = request.Call;
        var tool = request.Tools.FirstOrDefault(t => string.Equals(t.Name, call.Name, StringComparison.Ordinal));
        if (tool is not null && ToolNames.SideEffectsOf(tool) != SideEffects.None && request.Context.RunId.Length > 0)
        {
            var context = request.Context;
            await runs.AddPendingToolCallAsync(context.RunId, new PendingToolCall(
                request.IdempotencyKey, context.Step, context.Agent, call.Name, ToolResults.FormatArguments(call), context.Time.GetUtcNow()), cancellationToken);
        }

        return await Inner.InvokeAsync(request, cancellationToken);
    }
}
