using Cadre.Resilience;
using Microsoft.Extensions.AI;
using Polly;

namespace Cadre.Testing;

/// <summary>A tool whose calls go through a chaos pipeline first (made by <see cref="Chaos.Wrap(AIFunction)"/>). Its
/// name, schema and metadata (side effects, category) are the inner tool's.</summary>
internal sealed class ChaosFunction(AIFunction inner, ResiliencePipeline pipeline) : DelegatingAIFunction(inner)
{
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        FunctionPipeline.InvokeAsync(pipeline, base.InvokeCoreAsync, arguments, cancellationToken);
}
