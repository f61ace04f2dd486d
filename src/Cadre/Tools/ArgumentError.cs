namespace Cadre.Tools;

/// <summary>One way a tool call's arguments do not fit the tool's JSON schema.</summary>
/// <param name="Path">Where: <c>priority</c>, <c>address.zip</c>, <c>tags[1]</c>; empty for the arguments as a
/// whole.</param>
/// <param name="Message">What is wrong, phrased so a model can fix it ("must be one of low, normal, high").</param>
public sealed record ArgumentError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
