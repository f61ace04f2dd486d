namespace Cadre.Workflows;

/// <summary>What a group chat's selector model decides: who speaks next, or that the chat is done.</summary>
/// <param name="Next">The next speaker's name.</param>
/// <param name="Done">True when the task is complete and the chat should end.</param>
/// <param name="Reason">Why, briefly.</param>
public sealed record SpeakerChoice(string Next, bool Done, string Reason);
