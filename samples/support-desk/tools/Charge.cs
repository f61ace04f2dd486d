namespace SupportDesk;

/// <summary>A card charge.</summary>
/// <param name="Id">The charge id.</param>
/// <param name="ChargedOn">When.</param>
/// <param name="Amount">How much.</param>
/// <param name="Card">Which card.</param>
public sealed record Charge(string Id, string ChargedOn, double Amount, string Card);
