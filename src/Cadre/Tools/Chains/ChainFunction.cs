using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Cadre.Tools.Chains;

/// <summary>A bound <see cref="ToolChain"/> as a tool. Called through the governed path, its steps go through the same
/// invoker as calls made within the chain's call; called directly, they go through a default governed invoker.</summary>
internal sealed class ChainFunction(ToolChain chain, IReadOnlyList<AIFunction> tools) : ScopedFunction
{
    private static readonly GovernedToolInvoker Fallback = new();
    private readonly JsonElement _schema = chain.Schema();

    public override string Name => chain.Name;

    public override string Description => chain.Description;

    public override JsonElement JsonSchema => _schema;

    public ToolChain Chain => chain;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var scope = ToolCallScope.Of(arguments);
        var input = JsonSerializer.SerializeToNode(arguments.ToDictionary(a => a.Key, a => a.Value), AIJsonUtilities.DefaultOptions);
        var parent = scope?.Request ?? new ToolCallRequest(
            ToolCallContext.Current ?? new ToolCallContext { Agent = "chain" },
            new FunctionCallContent("chain", chain.Name, arguments.ToDictionary(a => a.Key, a => a.Value)),
            tools,
            0);
        var result = await chain.RunAsync(input, tools, scope?.Invoker ?? Fallback, parent, cancellationToken);
        if (result.Failed is { } failed)
        {
            throw new ToolChainException($"step {failed.Index} '{failed.Name}' ({failed.Tool}) failed with input {failed.Input}: {failed.Output}") { Result = result };
        }

        return result.Output is null ? null : TryParse(result.Output) ?? (object)result.Output;
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
