using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Cadre.Tools;

/// <summary>Reads the XML documentation file built next to an assembly (<c>Tools.xml</c> beside <c>Tools.dll</c>), so
/// a tool method's <c>&lt;summary&gt;</c> and <c>&lt;param&gt;</c> texts can describe it when it has no
/// <see cref="System.ComponentModel.DescriptionAttribute"/>.</summary>
internal static partial class XmlDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, XElement>> Files = new();

    /// <summary>The summary of a method, or null.</summary>
    public static string? Summary(MethodInfo method) => Member(method)?.Element("summary") is { } summary ? Text(summary) : null;

    /// <summary>The text of a parameter, or null.</summary>
    public static string? Parameter(ParameterInfo parameter) =>
        parameter.Member is MethodInfo method && Member(method)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == parameter.Name) is { } param
            ? Text(param)
            : null;

    private static XElement? Member(MethodInfo method) =>
        Load(method.Module.Assembly).TryGetValue(IdOf(method), out var member) ? member : null;

    private static IReadOnlyDictionary<string, XElement> Load(Assembly assembly) => Files.GetOrAdd(assembly, static a =>
    {
        var path = string.IsNullOrEmpty(a.Location) ? null : Path.ChangeExtension(a.Location, ".xml");
        if (path is null || !File.Exists(path))
        {
            return new Dictionary<string, XElement>();
        }

        try
        {
            return XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .GroupBy(m => (string)m.Attribute("name")!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }
        catch (XmlException)
        {
            // A damaged documentation file only costs descriptions.
            return new Dictionary<string, XElement>();
        }
    });

    // The documentation id of a method: M:Namespace.Type.Method(System.String,System.Collections.Generic.List{System.Int32}).
    private static string IdOf(MethodInfo method)
    {
        var id = new StringBuilder("M:").Append(TypeId(method.DeclaringType!)).Append('.').Append(method.Name);
        if (method.IsGenericMethod)
        {
            id.Append("``").Append(method.GetGenericArguments().Length);
        }

        var parameters = method.GetParameters();
        if (parameters.Length > 0)
        {
            id.Append('(').AppendJoin(',', parameters.Select(p => TypeId(p.ParameterType))).Append(')');
        }

        return id.ToString();
    }

    private static string TypeId(Type type)
    {
        if (type.IsByRef)
        {
            return TypeId(type.GetElementType()!) + "@";
        }

        if (type.IsArray)
        {
            return TypeId(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        var name = type.IsNested ? TypeId(type.DeclaringType!) + "." + type.Name : (type.Namespace is null ? "" : type.Namespace + ".") + type.Name;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            name = name[..name.IndexOf('`', StringComparison.Ordinal)] + "{" + string.Join(",", type.GetGenericArguments().Select(TypeId)) + "}";
        }

        return name;
    }

    private static string Text(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } see => ((string?)see.Attribute("langword") ?? Short((string?)see.Attribute("cref")) ?? see.Value),
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name") ?? "",
                XElement other => Text(other),
                _ => "",
            });
        }

        return Spaces().Replace(text.ToString(), " ").Trim();
    }

    private static string? Short(string? cref) => cref is null ? null : cref[(cref.LastIndexOfAny([':', '.']) + 1)..];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
