namespace SupportDesk;

/// <summary>A support ticket.</summary>
/// <param name="Id">The ticket id.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Subject">The subject.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="Status">open or closed.</param>
public sealed record Ticket(string Id, string CustomerId, string Subject, string Priority, string Status);
