namespace Cadre.Specs;

/// <summary>A place in a spec file, for error messages.</summary>
/// <param name="File">The spec or approval-policy file, as the loader was given it (<see cref="SpecLoader"/> makes
/// it full).</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
public sealed record SpecLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
