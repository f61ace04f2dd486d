using Cadre.Agents;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cadre.McpServer;

/// <summary>
/// One tool of a spec offered over MCP. A call is carried out by the spec's governed invoker as agent
/// <c>mcp:&lt;client&gt;</c> (the client's name from its MCP handshake): the same permission, schema validation,
/// approval policy, limits, resilience and audit as a run's calls; a denied or failed call is an MCP tool error whose
/// text says why.
/// </summary>
internal sealed class GovernedMcpTool(AIFunction function, IReadOnlyList<AIFunction> served, IToolInvoker invoker, IWorkspace workspace, TimeProvider time) : McpServerTool
{
    public override Tool ProtocolTool { get; } = new()
    {
        Name = function.Name,
        Description = function.Description,
        InputSchema = function.JsonSchema,
    };

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = request.Params?.Arguments?.ToDictionary(a => a.Key, a => (object?)a.Value, StringComparer.Ordinal) ?? [];
        var callId = request.JsonRpcRequest.Id.ToString();
        var context = new AgentContext
        {
            Agent = McpCaller.AgentName(request.Server),
            ConversationId = request.Server.SessionId,
            Workspace = workspace,
            Time = time,
        };
        var record = await invoker.InvokeAsync(new ToolCallRequest(context, new FunctionCallContent(callId, function.Name, arguments), served, 0), cancellationToken);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = record.Result }],
            IsError = record.Status is not (ToolCallStatus.Succeeded or ToolCallStatus.Replayed or ToolCallStatus.Started),
        };
    }
}
