namespace Cadre.Conversations;

/// <summary>The running summary of a conversation's older turns, as a <see cref="SummarizingReducer"/> keeps it: the
/// text and which groups of messages it covers, so the next call reuses it and folds in only what has newly dropped
/// out of the window.</summary>
/// <param name="ConversationId">The conversation (for an agent in a run: <c>&lt;run&gt;/&lt;agent&gt;</c>).</param>
/// <param name="CoveredGroups">How many of the oldest droppable message groups the summary covers.</param>
/// <param name="CoveredHash">A hash of exactly those groups, so a summary is never applied to other messages.</param>
/// <param name="Text">The summary the model wrote, sent to the model after the instructions in place of the covered
/// groups.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record ConversationSummary(string ConversationId, int CoveredGroups, string CoveredHash, string Text, DateTimeOffset UpdatedAt);
