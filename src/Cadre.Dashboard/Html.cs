using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cadre.Tools;

namespace Cadre.Dashboard;

/// <summary>Small pieces of HTML the pages share: encoding, the layout, statuses, JSON with its parts highlighted.
/// Everything that comes from a run, a model, a tool or a person is encoded here: it is hostile text.</summary>
internal static class Html
{
    public static readonly (string Path, string Title)[] Sections =
    [
        ("/runs", "Runs"), ("/approvals", "Approvals"), ("/dead-letters", "Dead letters"), ("/memory", "Memory"), ("/tools", "Tools"),
    ];

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "";

    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 1
        ? duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Status(string word) => $"<span class=\"status {E(word)}\">{E(word)}</span>";

    public static string Status(ToolCallStatus status) => Status(status.ToString().ToLowerInvariant());

    public static string Query(params (string Name, string? Value)[] parts) =>
        "?" + string.Join("&", parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));

    public static string Page(string title, string current, string body, string workspace, string? script = "/assets/app.js")
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · Cadre</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body><header><strong>Cadre</strong>");
        foreach (var (path, name) in Sections)
        {
            page.Append("<a href=\"").Append(path).Append('"').Append(path == current ? " class=\"current\"" : "").Append('>').Append(name).Append("</a>");
        }

        page.Append("<span class=\"where\"><span class=\"live-dot\"></span>").Append(E(workspace)).Append("</span></header><main>")
            .Append(body).Append("</main>");
        if (script is not null)
        {
            page.Append("<script src=\"").Append(script).Append("\"></script>");
        }

        return page.Append("</body></html>").ToString();
    }

    /// <summary>JSON pretty-printed with keys, strings and numbers marked, so arguments can be read at a glance; text
    /// that is not JSON is shown as it is.</summary>
    public static string Json(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "<pre></pre>";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var html = new StringBuilder("<pre>");
            Write(html, document.RootElement, 0);
            return html.Append("</pre>").ToString();
        }
        catch (JsonException)
        {
            return "<pre>" + E(text) + "</pre>";
        }
    }

    private static void Write(StringBuilder html, JsonElement element, int depth)
    {
        var indent = new string(' ', (depth + 1) * 2);
        var close = new string(' ', depth * 2);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                html.Append("{\n");
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    html.Append(first ? "" : ",\n").Append(indent).Append("<span class=\"json-key\">").Append(E(JsonSerializer.Serialize(property.Name))).Append("</span>: ");
                    Write(html, property.Value, depth + 1);
                    first = false;
                }

                html.Append('\n').Append(close).Append('}');
                break;
            case JsonValueKind.Array:
                html.Append("[\n");
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    html.Append(index++ == 0 ? "" : ",\n").Append(indent);
                    Write(html, item, depth + 1);
                }

                html.Append('\n').Append(close).Append(']');
                break;
            case JsonValueKind.String:
                html.Append("<span class=\"json-string\">").Append(E(element.GetRawText())).Append("</span>");
                break;
            case JsonValueKind.Number:
                html.Append("<span class=\"json-number\">").Append(E(element.GetRawText())).Append("</span>");
                break;
            default:
                html.Append("<span class=\"json-literal\">").Append(E(element.GetRawText())).Append("</span>");
                break;
        }
    }
}
