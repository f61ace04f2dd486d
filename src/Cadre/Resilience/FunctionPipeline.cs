using Microsoft.Extensions.AI;
using Polly;

namespace Cadre.Resilience;

/// <summary>Runs a tool's invocation through a Polly pipeline (resilience or chaos).</summary>
internal static class FunctionPipeline
{
    public static async ValueTask<object?> InvokeAsync(
        ResiliencePipeline pipeline,
        Func<AIFunctionArguments, CancellationToken, ValueTask<object?>> invoke,
        AIFunctionArguments arguments,
        CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, token) => await state.Invoke(state.Arguments, token),
            (Invoke: invoke, Arguments: arguments),
            cancellationToken);
}
