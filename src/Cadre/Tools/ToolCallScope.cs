using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>What a governed call tells the function it invokes, through <see cref="AIFunctionArguments.Context"/>:
/// the request, which tools the caller may use, and the invoker, so tools that use other tools (discovery,
/// chains) stay on the governed path.</summary>
/// <param name="Request">The call being made.</param>
/// <param name="Invoker">The invoker carrying it out.</param>
/// <param name="Permissions">The grants the invoker applies.</param>
internal sealed record ToolCallScope(ToolCallRequest Request, IToolInvoker Invoker, ToolPermissions Permissions)
{
    /// <summary>Whether the calling agent may use a tool.</summary>
    public bool IsPermitted(AIFunction tool) => Permissions.Allows(Request.Context.Agent, tool, Request.Tools);

    public static ToolCallScope? Of(AIFunctionArguments arguments) =>
        arguments.Context is { } context && context.TryGetValue(typeof(ToolCallScope), out var scope) ? scope as ToolCallScope : null;

    public AIFunctionArguments Arguments(IDictionary<string, object?>? values) =>
        new(values)
        {
            Context = new Dictionary<object, object?>
            {
                [typeof(ToolCallScope)] = this,
                [typeof(ToolCaller)] = Request.Caller(),
            },
        };
}
