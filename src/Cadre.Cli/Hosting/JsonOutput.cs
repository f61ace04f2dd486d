using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cadre.Cli.Hosting;

/// <summary>How the command line writes JSON: indented, readable characters unescaped.</summary>
internal static class JsonOutput
{
    /// <summary>Indented, with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> so accented letters, quotes in text and <c>&lt;</c> stay readable; one shared instance, never changed.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
