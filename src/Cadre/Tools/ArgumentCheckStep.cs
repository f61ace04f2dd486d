using System.Text;
using Cadre.Conversations;

namespace Cadre.Tools;

/// <summary>Stops a call whose arguments are not JSON, are larger than the tool accepts
/// (<see cref="GovernedToolOptions.MaxArgumentBytes"/>) or do not fit the tool's parameters, and tells the model what
/// to fix.</summary>
internal sealed class ArgumentCheckStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (request.Call.Exception is not null)
        {
            return new(call.Record(ToolCallStatus.InvalidArguments, ToolErrors.MalformedArguments(request.Call.Name, request.Call.Exception), "malformed JSON"));
        }

        if (call.Tool() is not { } state)
        {
            return NextAsync(call, cancellationToken);
        }

        var limit = state.Descriptor.MaxArgumentBytes ?? Governance.Options.MaxArgumentBytes;
        if (Encoding.UTF8.GetByteCount(call.Arguments) is var size && size > limit)
        {
            // The oversized text is not kept either: the audit entry gets its beginning.
            call.Arguments = string.Concat(call.Arguments.AsSpan(0, Math.Min(call.Arguments.Length, 256)), $"… [{size} bytes]");
            return new(call.Record(ToolCallStatus.InvalidArguments, ToolResults.Error(
                $"the arguments for '{state.Tool.Name}' are {size:N0} bytes; at most {limit:N0} are accepted. Send less (shorter text, fewer items)."),
                "arguments too large"));
        }

        var errors = state.Schema.Validate(request.Call.Arguments);
        if (errors.Count > 0)
        {
            return new(call.Record(ToolCallStatus.InvalidArguments, ToolResults.Error(
                $"the arguments for '{state.Tool.Name}' do not fit its parameters: {string.Join("; ", errors)}. Fix them and call it again."),
                "schema"));
        }

        return NextAsync(call, cancellationToken);
    }
}
