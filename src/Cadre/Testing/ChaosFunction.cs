using Microsoft.Extensions.AI;
using Polly;

namespace Cadre.Testing;

/// <summary>A tool whose calls go through a chaos pipeline first (made by <see cref="Chaos.Wrap(AIFunction)"/>). Its
/// name, schema and metadata (side effects, category) are the inner tool's.</summary>
internal sealed class ChaosFunction(AIFunction inner, ResiliencePipeline pipeline) : DelegatingAIFunction(inner)
{
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            static async (state, token) => await state.Self.BaseInvokeAsync(state.Arguments, token),
            (Self: this, Arguments: arguments),
            cancellationToken);

    private ValueTask<object?> BaseInvokeAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        base.InvokeCoreAsync(arguments, cancellationToken);
}
