namespace Cadre.Cli.Hosting;

/// <summary>Writes rows as aligned columns for people; the last column is not padded (it holds free text).</summary>
internal static class TextTable
{
    /// <summary>Writes a header and rows.</summary>
    /// <param name="output">Where the lines go, one per row after the header; columns two spaces apart.</param>
    /// <param name="header">The column names, written as the first line.</param>
    /// <param name="rows">The rows, each with as many cells as the header; read once.</param>
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Count).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
