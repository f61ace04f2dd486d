using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// A tool's parameter schema compiled once for checking calls: the JSON Schema keywords that
/// <see cref="AIFunctionFactory"/> and MCP servers emit for parameters — <c>type</c> (one or several),
/// <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>enum</c>, <c>const</c>, <c>minimum</c>,
/// <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>, <c>minLength</c>, <c>maxLength</c>,
/// <c>pattern</c>, <c>items</c>, <c>minItems</c>, <c>maxItems</c>, <c>anyOf</c>, <c>oneOf</c>, <c>allOf</c> and local
/// <c>$ref</c>s. Other keywords (formats, descriptions, defaults) do not constrain. Unknown fields are errors unless
/// the schema allows them with <c>additionalProperties</c>, because a model that invents a field has misunderstood
/// the tool.
/// </summary>
/// <remarks>Written for Cadre rather than taken from a general validator: checking a call must cost well under a
/// microsecond and allocate nothing when it passes (it runs on every tool call), and its messages are written for a
/// model to act on ("must be one of low, normal, high"), which general validators do not give.</remarks>
public sealed class ArgumentSchema
{
    private static readonly IReadOnlyList<ArgumentError> NoErrors = [];
    private readonly Node _root;

    private ArgumentSchema(Node root)
    {
        _root = root;
    }

    /// <summary>A schema that accepts any arguments.</summary>
    public static ArgumentSchema Any { get; } = new(new Node { AllowsAdditional = true });

    /// <summary>Compiles a JSON schema once, so that each call's arguments are checked without reading the schema again.</summary>
    /// <param name="schema">The JSON schema (an <see cref="AIFunctionDeclaration.JsonSchema"/>).</param>
    /// <returns>The compiled schema; <see cref="Any"/> for an empty or boolean schema.</returns>
    public static ArgumentSchema Compile(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object ? new ArgumentSchema(new Compiler(schema).Compile(schema)) : Any;

    /// <summary>Checks a call's arguments.</summary>
    /// <param name="arguments">The arguments by name (values as <see cref="JsonElement"/>s or .NET objects).</param>
    /// <returns>The problems; empty when the arguments fit.</returns>
    public IReadOnlyList<ArgumentError> Validate(IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        List<ArgumentError>? errors = null;
        var node = _root;
        if (node.Types != 0 && (node.Types & Kind.Object) == 0)
        {
            return [new ArgumentError("", "the tool takes no object of arguments")];
        }

        if (arguments is Dictionary<string, object?> dictionary)
        {
            // The common case, enumerated without boxing.
            foreach (var (name, value) in dictionary)
            {
                CheckProperty(node, name, ToElement(value), "", ref errors);
            }
        }
        else
        {
            foreach (var (name, value) in arguments ?? [])
            {
                CheckProperty(node, name, ToElement(value), "", ref errors);
            }
        }

        if (node.Required.Length > 0)
        {
            var present = arguments as IDictionary<string, object?> ?? arguments?.ToDictionary(p => p.Key, p => p.Value);
            foreach (var required in node.Required)
            {
                if (present is null || !present.ContainsKey(required))
                {
                    Add(ref errors, "", $"the required field '{required}' is missing");
                }
            }
        }

        return (IReadOnlyList<ArgumentError>?)errors ?? NoErrors;
    }

    /// <summary>Checks a JSON value.</summary>
    /// <param name="instance">Any JSON value, checked against the whole schema (not only as an object of arguments).</param>
    /// <returns>The problems; empty when the value fits.</returns>
    public IReadOnlyList<ArgumentError> Validate(JsonElement instance)
    {
        List<ArgumentError>? errors = null;
        Check(_root, instance, "", ref errors);
        return (IReadOnlyList<ArgumentError>?)errors ?? NoErrors;
    }

    private static JsonElement ToElement(object? value) => value switch
    {
        JsonElement e => e,
        null => default,
        _ => JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions),
    };

    private static void CheckProperty(Node node, string name, JsonElement value, string path, ref List<ArgumentError>? errors)
    {
        var at = path.Length == 0 ? name : path + "." + name;
        if (node.Properties.TryGetValue(name, out var property))
        {
            Check(property, value, at, ref errors);
        }
        else if (node.Additional is { } additional)
        {
            Check(additional, value, at, ref errors);
        }
        else if (!node.AllowsAdditional)
        {
            var known = node.Properties.Count == 0 ? "it takes no fields" : "its fields are " + string.Join(", ", node.Properties.Keys);
            Add(ref errors, path, $"unknown field '{name}'; {known}");
        }
    }

    private static void Check(Node node, JsonElement value, string path, ref List<ArgumentError>? errors)
    {
        if (node.Reference is { } reference)
        {
            node = reference.Value;
        }

        var kind = KindOf(value);
        if (node.Types != 0 && (node.Types & kind) == 0)
        {
            Add(ref errors, path, $"must be {Describe(node.Types)}, not {DescribeValue(value, kind)}");
            return;
        }

        if (node.Enum is { } allowed && !IsOneOf(allowed, value))
        {
            Add(ref errors, path, $"must be one of {string.Join(", ", allowed.Select(Show))}, not {Show(value)}");
        }

        if (node.Const is { } constant && !JsonElement.DeepEquals(constant, value))
        {
            Add(ref errors, path, $"must be {Show(constant)}, not {Show(value)}");
        }

        switch (kind)
        {
            case Kind.Integer or Kind.Number:
                var number = value.GetDouble();
                if (number < node.Minimum)
                {
                    Add(ref errors, path, $"must be at least {Format(node.Minimum!.Value)}, not {value.GetRawText()}");
                }

                if (number > node.Maximum)
                {
                    Add(ref errors, path, $"must be at most {Format(node.Maximum!.Value)}, not {value.GetRawText()}");
                }

                if (number <= node.ExclusiveMinimum)
                {
                    Add(ref errors, path, $"must be greater than {Format(node.ExclusiveMinimum!.Value)}, not {value.GetRawText()}");
                }

                if (number >= node.ExclusiveMaximum)
                {
                    Add(ref errors, path, $"must be less than {Format(node.ExclusiveMaximum!.Value)}, not {value.GetRawText()}");
                }

                break;
            case Kind.String:
                if (node.MinLength is not null || node.MaxLength is not null || node.Pattern is not null)
                {
                    var text = value.GetString()!;
                    if (text.Length < node.MinLength)
                    {
                        Add(ref errors, path, $"must have at least {node.MinLength} characters");
                    }

                    if (text.Length > node.MaxLength)
                    {
                        Add(ref errors, path, $"must have at most {node.MaxLength} characters");
                    }

                    if (node.Pattern is { } pattern && !pattern.IsMatch(text))
                    {
                        Add(ref errors, path, $"must match the pattern {pattern}");
                    }
                }

                break;
            case Kind.Array:
                var count = value.GetArrayLength();
                if (count < node.MinItems)
                {
                    Add(ref errors, path, $"must have at least {node.MinItems} items, not {count}");
                }

                if (count > node.MaxItems)
                {
                    Add(ref errors, path, $"must have at most {node.MaxItems} items, not {count}");
                }

                if (node.Items is { } items)
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Check(items, item, $"{path}[{i++}]", ref errors);
                    }
                }

                break;
            case Kind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    CheckProperty(node, property.Name, property.Value, path, ref errors);
                }

                foreach (var required in node.Required)
                {
                    if (!value.TryGetProperty(required, out _))
                    {
                        Add(ref errors, path, $"the required field '{required}' is missing");
                    }
                }

                break;
        }

        foreach (var part in node.AllOf)
        {
            Check(part, value, path, ref errors);
        }

        if (node.AnyOf.Length > 0)
        {
            List<ArgumentError>? best = null;
            foreach (var option in node.AnyOf)
            {
                List<ArgumentError>? attempt = null;
                Check(option, value, path, ref attempt);
                if (attempt is null)
                {
                    best = null;
                    break;
                }

                if (best is null || attempt.Count < best.Count)
                {
                    best = attempt;
                }
            }

            if (best is not null)
            {
                (errors ??= []).AddRange(best);
            }
        }
    }

    // Not a lambda over the value: that would make a closure for every value checked, enum or not.
    private static bool IsOneOf(JsonElement[] allowed, JsonElement value)
    {
        foreach (var candidate in allowed)
        {
            if (JsonElement.DeepEquals(candidate, value))
            {
                return true;
            }
        }

        return false;
    }

    private static Kind KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => Kind.Null,
        JsonValueKind.True or JsonValueKind.False => Kind.Boolean,
        JsonValueKind.Number => IsIntegral(value) ? Kind.Integer : Kind.Number,
        JsonValueKind.String => Kind.String,
        JsonValueKind.Array => Kind.Array,
        _ => Kind.Object,
    };

    private static bool IsIntegral(JsonElement value) =>
        value.TryGetInt64(out _) || (value.TryGetDouble(out var d) && Math.Abs(d) < 1e300 && Math.Floor(d) == d);

    private static string Describe(Kind types)
    {
        var names = new List<string>();
        foreach (var (kind, name) in KindNames)
        {
            if ((types & kind) != 0 && !(kind == Kind.Integer && (types & Kind.Number) != 0))
            {
                names.Add(name);
            }
        }

        return names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }

    private static string DescribeValue(JsonElement value, Kind kind) => kind switch
    {
        Kind.Null => "null",
        Kind.String => $"a string ({Show(value)})",
        Kind.Object => "an object",
        Kind.Array => "an array",
        Kind.Boolean => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private static string Show(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? "'" + value.GetString() + "'" : value.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    private static string Format(double number) => number.ToString("0.################", CultureInfo.InvariantCulture);

    private static void Add(ref List<ArgumentError>? errors, string path, string message) => (errors ??= []).Add(new ArgumentError(path, message));

    private static readonly (Kind Kind, string Name)[] KindNames =
    [
        (Kind.String, "a string"), (Kind.Integer, "an integer"), (Kind.Number, "a number"), (Kind.Boolean, "true or false"),
        (Kind.Object, "an object"), (Kind.Array, "an array"), (Kind.Null, "null"),
    ];

    [Flags]
    private enum Kind
    {
        Null = 1,
        Boolean = 2,
        Integer = 4,
        Number = 8,
        String = 16,
        Array = 32,
        Object = 64,
    }

    private sealed class Node
    {
        public Kind Types;
        public JsonElement[]? Enum;
        public JsonElement? Const;
        public double? Minimum;
        public double? Maximum;
        public double? ExclusiveMinimum;
        public double? ExclusiveMaximum;
        public int? MinLength;
        public int? MaxLength;
        public Regex? Pattern;
        public Dictionary<string, Node> Properties = new(StringComparer.Ordinal);
        public string[] Required = [];
        public Node? Additional;
        public bool AllowsAdditional;
        public Node? Items;
        public int? MinItems;
        public int? MaxItems;
        public Node[] AnyOf = [];
        public Node[] AllOf = [];
        public Lazy<Node>? Reference;
    }

    private sealed class Compiler(JsonElement root)
    {
        private readonly Dictionary<string, Node> _references = new(StringComparer.Ordinal);

        public Node Compile(JsonElement schema)
        {
            var node = new Node();
            if (schema.ValueKind == JsonValueKind.True)
            {
                node.AllowsAdditional = true;
                return node;
            }

            if (schema.ValueKind != JsonValueKind.Object)
            {
                return node;
            }

            foreach (var keyword in schema.EnumerateObject())
            {
                var v = keyword.Value;
                switch (keyword.Name)
                {
                    case "type":
                        node.Types = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Aggregate((Kind)0, (k, t) => k | KindNamed(t.GetString())) : KindNamed(v.GetString());
                        break;
                    case "enum" when v.ValueKind == JsonValueKind.Array:
                        node.Enum = [.. v.EnumerateArray().Select(e => e.Clone())];
                        break;
                    case "const":
                        node.Const = v.Clone();
                        break;
                    case "minimum" when v.ValueKind == JsonValueKind.Number:
                        node.Minimum = v.GetDouble();
                        break;
                    case "maximum" when v.ValueKind == JsonValueKind.Number:
                        node.Maximum = v.GetDouble();
                        break;
                    case "exclusiveMinimum" when v.ValueKind == JsonValueKind.Number:
                        node.ExclusiveMinimum = v.GetDouble();
                        break;
                    case "exclusiveMaximum" when v.ValueKind == JsonValueKind.Number:
                        node.ExclusiveMaximum = v.GetDouble();
                        break;
                    case "minLength" when v.ValueKind == JsonValueKind.Number:
                        node.MinLength = v.GetInt32();
                        break;
                    case "maxLength" when v.ValueKind == JsonValueKind.Number:
                        node.MaxLength = v.GetInt32();
                        break;
                    case "pattern" when v.ValueKind == JsonValueKind.String:
                        node.Pattern = new Regex(v.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                        break;
                    case "properties" when v.ValueKind == JsonValueKind.Object:
                        foreach (var property in v.EnumerateObject())
                        {
                            node.Properties[property.Name] = Compile(property.Value);
                        }

                        break;
                    case "required" when v.ValueKind == JsonValueKind.Array:
                        node.Required = [.. v.EnumerateArray().Select(r => r.GetString()).OfType<string>()];
                        break;
                    case "additionalProperties":
                        node.AllowsAdditional = v.ValueKind != JsonValueKind.False;
                        node.Additional = v.ValueKind == JsonValueKind.Object ? Compile(v) : null;
                        break;
                    case "items" when v.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False:
                        node.Items = Compile(v);
                        break;
                    case "minItems" when v.ValueKind == JsonValueKind.Number:
                        node.MinItems = v.GetInt32();
                        break;
                    case "maxItems" when v.ValueKind == JsonValueKind.Number:
                        node.MaxItems = v.GetInt32();
                        break;
                    case "anyOf" or "oneOf" when v.ValueKind == JsonValueKind.Array:
                        node.AnyOf = [.. v.EnumerateArray().Select(Compile)];
                        break;
                    case "allOf" when v.ValueKind == JsonValueKind.Array:
                        node.AllOf = [.. v.EnumerateArray().Select(Compile)];
                        break;
                    case "$ref" when v.ValueKind == JsonValueKind.String && v.GetString() is { } pointer && pointer.StartsWith('#'):
                        node.Reference = new Lazy<Node>(() => Resolve(pointer));
                        break;
                }
            }

            return node;
        }

        private Node Resolve(string pointer)
        {
            lock (_references)
            {
                if (_references.TryGetValue(pointer, out var known))
                {
                    return known;
                }

                var target = root;
                foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                    if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
                    {
                        return _references[pointer] = new Node { AllowsAdditional = true };
                    }
                }

                var node = new Node();
                _references[pointer] = node;
                var compiled = Compile(target);
                foreach (var field in typeof(Node).GetFields())
                {
                    field.SetValue(node, field.GetValue(compiled));
                }

                return node;
            }
        }

        private static Kind KindNamed(string? name) => name switch
        {
            "null" => Kind.Null,
            "boolean" => Kind.Boolean,
            "integer" => Kind.Integer,
            "number" => Kind.Number | Kind.Integer,
            "string" => Kind.String,
            "array" => Kind.Array,
            "object" => Kind.Object,
            _ => 0,
        };
    }
}
