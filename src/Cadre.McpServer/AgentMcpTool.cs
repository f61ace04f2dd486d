using System.Text.Json;
using Cadre.Agents;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cadre.McpServer;

/// <summary>One agent of a spec offered over MCP as a tool that takes a task and returns the agent's answer. Its
/// turn runs with its own instructions, memory and granted tools, each call governed and audited as in a run.</summary>
internal sealed class AgentMcpTool(Agent agent, IWorkspace workspace, TimeProvider time) : McpServerTool
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"task":{"type":"string","description":"What the agent should do, in words."}},"required":["task"]}
        """).RootElement.Clone();

    public override Tool ProtocolTool { get; } = new()
    {
        Name = "agent_" + agent.Name.Replace('-', '_'),
        Description = $"Ask the {agent.Name} agent: {(agent.Description.Length > 0 ? agent.Description : agent.Instructions)}",
        InputSchema = Schema,
    };

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Params?.Arguments?.TryGetValue("task", out var task) != true || task.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(task.GetString()))
        {
            return new CallToolResult { Content = [new TextContentBlock { Text = "Error: give the agent a task: {\"task\": \"...\"}." }], IsError = true };
        }

        var turn = new AgentTurnOptions
        {
            Context = new AgentContext
            {
                Agent = agent.Name,
                ConversationId = request.Server.SessionId,
                Workspace = workspace,
                Time = time,
            },
            Notes = [$"You are called as a tool by {McpCaller.AgentName(request.Server)} over MCP."],
        };
        var response = await agent.RunAsync([new ChatMessage(ChatRole.User, task.GetString())], turn, cancellationToken);
        return new CallToolResult { Content = [new TextContentBlock { Text = response.Text }] };
    }
}
