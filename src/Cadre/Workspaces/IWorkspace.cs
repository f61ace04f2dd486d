using Cadre.Conversations;
using Cadre.Resilience;
using Cadre.Runs;
using Cadre.Tools;

namespace Cadre.Workspaces;

/// <summary>
/// Where a system keeps what it must not forget: runs with their steps and checkpoints, and conversation threads.
/// The embedded workspace is one SQLite file (<c>Cadre.Sqlite</c>); <see cref="InMemoryWorkspace"/> keeps
/// everything in memory for tests and throwaway runs.
/// </summary>
public interface IWorkspace : IAsyncDisposable
{
    /// <summary>Runs, steps and checkpoints.</summary>
    IRunStore Runs { get; }

    /// <summary>The message history of conversation threads (a run's thread under the run's id), kept so a run can be
    /// inspected and resumed.</summary>
    IConversationStore Conversations { get; }

    /// <summary>Completed side-effecting tool calls, by idempotency key.</summary>
    IToolLedger Ledger { get; }

    /// <summary>Tasks that exhausted their retries and fallbacks.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>Every tool call that went through the governed path, denied and failed ones included.</summary>
    IAuditLog Audit { get; }

    /// <summary>Background jobs of long-running tools.</summary>
    IToolJobStore Jobs { get; }

    /// <summary>Tool calls waiting for a person to approve or deny them (<see cref="ApprovalQueue"/>).</summary>
    IApprovalStore Approvals { get; }

    /// <summary>Long-term, episodic, semantic and shared memory, and conversation summaries.</summary>
    WorkspaceMemory Memory { get; }

    /// <summary>Rate limits and exclusive tools shared by every process using the workspace; null when the workspace
    /// cannot share them (limits then hold within each process only).</summary>
    IToolLimitStore? Limits => null;

    /// <summary>Finds pages of runs by status and text without loading them all (the dashboard's run list); null when
    /// the workspace cannot search its runs.</summary>
    IRunSearch? RunSearch => null;
}
