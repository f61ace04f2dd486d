namespace Cadre.Tools;

/// <summary>
/// A step of a tool-call pipeline that hands calls on to the invoker it wraps (<see cref="Inner"/>). Derive from it
/// to add a step of your own and put it in the pipeline with <see cref="ToolInvokerBuilder.Use(Func{IToolInvoker, IToolInvoker})"/>;
/// override <see cref="InvokeAsync"/>, do your part, and call <c>base.InvokeAsync</c> (or <see cref="Inner"/>) to go on.
/// </summary>
/// <remarks>Pass the request you were given on (or a copy made with <c>with</c>): it carries what the governed steps
/// around yours decided for the call (the tool found, the audit detail, whether it was audited), so that, for example, a
/// call is audited once. A request made from scratch starts the call afresh for the steps below.</remarks>
public abstract class DelegatingToolInvoker : IToolInvoker
{
    /// <summary>Creates a step that hands calls on to <paramref name="inner"/>.</summary>
    /// <param name="inner">The invoker this step hands calls on to.</param>
    protected DelegatingToolInvoker(IToolInvoker inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The invoker this step hands calls on to: the next step of the pipeline.</summary>
    public IToolInvoker Inner { get; }

    /// <summary>Carries out one tool call; this base hands it to <see cref="Inner"/> unchanged.</summary>
    /// <param name="request">The call and its context.</param>
    /// <param name="cancellationToken">Cancels the call; the only exception a step lets out is the resulting <see cref="OperationCanceledException"/>.</param>
    /// <returns>What happened, including the text returned to the model.</returns>
    public virtual Task<ToolCallRecord> InvokeAsync(ToolCallRequest request, CancellationToken cancellationToken) =>
        Inner.InvokeAsync(request, cancellationToken);
}
