using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>When a tool with a <see cref="ToolDescriptor.Capability"/> fails in a way another tool could help with
/// (transient failure, timeout, open circuit, rate limit), tries the alternatives with the same capability — the
/// agent's own, then the registry's — that the agent may call, that take the same arguments and that need no approval
/// the original did not get. Alternatives are chosen at call time, since tools can be registered while agents run.</summary>
internal sealed class FallbackStep(IToolInvoker inner, ToolGovernance governance) : GovernanceStep(inner, governance)
{
    internal override ValueTask<ToolCallRecord> RunAsync(GovernedCall call, CancellationToken cancellationToken)
    {
        if (call.Tool() is not { Descriptor.Capability: not null } state)
        {
            return NextAsync(call, cancellationToken);
        }

        call.FailureIsPassing = false;
        return FallBackAsync(call, state, cancellationToken);
    }

    private static bool NeedsAlternative(GovernedCall call, ToolCallRecord record) => record.Status != ToolCallStatus.Succeeded && call.FailureIsPassing;

    private async ValueTask<ToolCallRecord> FallBackAsync(GovernedCall call, ToolState state, CancellationToken cancellationToken)
    {
        var record = await NextAsync(call, cancellationToken);
        if (!NeedsAlternative(call, record))
        {
            return record;
        }

        var reason = call.FailureReason;
        var tried = new HashSet<string>(StringComparer.Ordinal) { state.Tool.Name };
        try
        {
            foreach (var alternative in Alternatives(state, call.Request))
            {
                if (!tried.Add(alternative.Name))
                {
                    continue;
                }

                call.State = Governance.StateOf(alternative);
                call.FailureIsPassing = false;
                var served = await NextAsync(call, cancellationToken);
                if (served.Status == ToolCallStatus.Succeeded)
                {
                    call.Detail = $"served by '{alternative.Name}' after '{state.Tool.Name}' failed: {reason}";
                    return served;
                }
            }
        }
        finally
        {
            call.State = state;
        }

        return record;
    }

    private IEnumerable<AIFunction> Alternatives(ToolState state, ToolCallRequest request)
    {
        var capability = state.Descriptor.Capability;
        var options = Governance.Options;
        var candidates = request.Tools.Where(t => ToolDescriptor.Of(t).Capability == capability)
            .Concat(options.Registry?.AlternativesTo(state.Tool) ?? []);
        foreach (var candidate in candidates)
        {
            // An alternative must be one the agent may call, take the same arguments and need no approval that the
            // original did not get.
            if (candidate.Name != state.Tool.Name
                && options.Permissions.Allows(request.Context.Agent, candidate, request.Tools)
                && (!Governance.StateOf(candidate).RequiresApproval || state.RequiresApproval)
                && Governance.StateOf(candidate).Schema.Validate(request.Call.Arguments).Count == 0)
            {
                yield return candidate;
            }
        }
    }
}
