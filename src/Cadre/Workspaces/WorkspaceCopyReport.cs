namespace Cadre.Workspaces;

/// <summary>What <see cref="WorkspaceCopy"/> copied, and what was there already.</summary>
/// <param name="Runs">Runs copied (with their steps, thread, checkpoint, audit entries, ledger records, jobs and summary).</param>
/// <param name="RunsAlreadyThere">Runs whose id the target already had; they were left as they are.</param>
/// <param name="DeadLetters">Dead letters copied (letters whose id the target had are not counted).</param>
/// <param name="Memories">Long-term memories copied (exact duplicates already there are not counted).</param>
/// <param name="Episodes">Episodes written to the target; one with the same id and scope there is replaced, and
/// counted.</param>
/// <param name="Facts">Knowledge-graph facts copied (current and closed; facts whose id the target had are not counted).</param>
/// <param name="BlackboardWrites">Blackboard writes replayed from the source's audit trail (each one a version of a key).</param>
public sealed record WorkspaceCopyReport(int Runs, int RunsAlreadyThere, int DeadLetters, int Memories, int Episodes, int Facts = 0, int BlackboardWrites = 0);
