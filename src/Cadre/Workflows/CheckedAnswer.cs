namespace Cadre.Workflows;

/// <summary>An answer that can be checked: the typed result, how sure the agent is, and where it comes from.</summary>
/// <typeparam name="T">The result's type.</typeparam>
/// <param name="Answer">The answer itself, of the type the schema asked for.</param>
/// <param name="Confidence">How sure the agent is, from 0 to 1.</param>
/// <param name="Sources">Where the answer comes from (tool results, documents, ids).</param>
public sealed record CheckedAnswer<T>(T Answer, double Confidence, IReadOnlyList<string> Sources);
