using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cadre.Cli.Hosting;

/// <summary>How the command line writes JSON: indented, readable characters unescaped.</summary>
internal static class JsonOutput
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
