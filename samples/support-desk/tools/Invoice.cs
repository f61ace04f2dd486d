namespace SupportDesk;

/// <summary>An invoice and the charges made for it.</summary>
/// <param name="Id">The invoice id.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Issued">When it was issued.</param>
/// <param name="Amount">The amount due.</param>
/// <param name="Currency">The currency.</param>
/// <param name="Status">paid, open, refunded.</param>
/// <param name="Charges">Card charges made for it.</param>
public sealed record Invoice(string Id, string CustomerId, string Issued, double Amount, string Currency, string Status, IReadOnlyList<Charge> Charges);
