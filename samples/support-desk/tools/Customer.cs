namespace SupportDesk;

/// <summary>A customer.</summary>
/// <param name="Id">The customer id.</param>
/// <param name="Name">The name.</param>
/// <param name="Email">The email address.</param>
/// <param name="Plan">The subscription plan.</param>
/// <param name="Since">Customer since.</param>
public sealed record Customer(string Id, string Name, string Email, string Plan, string Since);
