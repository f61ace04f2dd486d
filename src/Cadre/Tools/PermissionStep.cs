using Cadre.Conversations;

namespace Cadre.Tools;

/// <summary>Finds the tool a call names (the agent's own, then the registry) and stops the call when there is none or
/// the agent is not granted it (<see cref="GovernedToolOptions.Permissions"/>).</summary>
internal sealed class PermissionStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (call.Tool() is not { } state)
        {
            return new(call.Record(ToolCallStatus.UnknownTool, ToolErrors.UnknownTool(request.Call.Name, request.Tools.Select(t => t.Name)), "unknown tool"));
        }

        if (!Governance.Options.Permissions.Allows(request.Context.Agent, state.Tool, request.Tools))
        {
            return new(call.Record(ToolCallStatus.Denied, ToolResults.Error(
                $"agent '{request.Context.Agent}' is not allowed to call '{state.Tool.Name}'. Use one of your own tools: {string.Join(", ", request.Tools.Select(t => t.Name))}."),
                "not granted"));
        }

        return NextAsync(call, cancellationToken);
    }
}
