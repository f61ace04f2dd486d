using System.Text.Json;
using Cadre.Agents;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Support;

/// <summary>Builds tool calls the way a model client does: arguments parsed from JSON text into JsonElements.</summary>
public static class ToolCalls
{
    public static FunctionCallContent Call(string tool, string json = "{}", string callId = "call_1") =>
        FunctionCallContent.CreateFromParsedArguments(json, callId, tool,
            static text => JsonSerializer.Deserialize<Dictionary<string, object?>>(text, AIJsonUtilities.DefaultOptions));

    public static ToolCallRequest Request(string tool, string json, IReadOnlyList<AIFunction> tools, AgentContext? context = null, int index = 0) =>
        new(context ?? new AgentContext { Agent = "tester" }, Call(tool, json, $"call_{index + 1}"), tools, index);

    public static AgentContext Run(string agent = "tester", string runId = "r1", int step = 1, Cadre.Workspaces.IWorkspace? workspace = null, TimeProvider? time = null, Cadre.Observability.IRunObserver? observer = null) =>
        new() { Agent = agent, RunId = runId, Step = step, Workspace = workspace, Time = time ?? TimeProvider.System, Observer = observer ?? Cadre.Observability.RunObserver.None };
}
