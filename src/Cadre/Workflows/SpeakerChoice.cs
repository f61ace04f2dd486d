namespace Cadre.Workflows;

/// <summary>What a group chat's selector model decides: who speaks next, or that the chat is done.</summary>
/// <param name="Next">The next speaker's name.</param>
/// <param name="Done">True when the task is complete and the chat should end.</param>
/// <param name="Reason">The selector's reason for its pick, kept in the run's state under <c>picked_by</c>.</param>
public sealed record SpeakerChoice(string Next, bool Done, string Reason);
