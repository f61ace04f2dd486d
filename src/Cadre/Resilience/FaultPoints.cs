namespace Cadre.Resilience;

/// <summary>The places where <see cref="IFaultInjector"/> is told the runtime has arrived, in the order a step meets
/// them.</summary>
public static class FaultPoints
{
    /// <summary>A run was claimed (started or resumed) and nothing of it has been done yet.</summary>
    public const string Claimed = "run.claimed";

    /// <summary>A side-effecting call's key is reserved in the ledger; the tool has not run.</summary>
    public const string BeforeTool = "tool.before";

    /// <summary>A side-effecting tool has run and been audited; its outcome is not yet in the ledger.</summary>
    public const string AfterTool = "tool.after";

    /// <summary>A step's agent has finished; the step is not yet committed.</summary>
    public const string BeforeCommit = "step.before-commit";

    /// <summary>A step is committed; its post-step hooks have not run.</summary>
    public const string AfterCommit = "step.after-commit";

    /// <summary>The run's final status is recorded with its post-run work pending; no hook has run.</summary>
    public const string BeforePostRun = "post-run.before";

    /// <summary>A post-run hook has done its work; it is not yet marked done.</summary>
    public const string AfterPostRunHook = "post-run.after-hook";

    /// <summary>Every point, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [Claimed, BeforeTool, AfterTool, BeforeCommit, AfterCommit, BeforePostRun, AfterPostRunHook];
}
