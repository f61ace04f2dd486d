using System.Globalization;
using System.Text.Json.Nodes;

namespace Cadre.Tools.Chains;

/// <summary>
/// Where a chain step's argument comes from: the previous step's result (<c>$prev</c>), a named step's result
/// (<c>$invoice</c>), the chain's input (<c>$input</c>), each optionally narrowed by a path (<c>$invoice.customerId</c>,
/// <c>$prev.charges[1].id</c>), or a literal. Objects and arrays may mix literals and references.
/// </summary>
public abstract class ChainValue
{
    private protected ChainValue()
    {
    }

    /// <summary>The previous step's result (the chain's input for the first step).</summary>
    /// <param name="path">A path into it (<c>customerId</c>, <c>charges[0].id</c>), or null for all of it.</param>
    /// <returns>A reference, read when the step runs.</returns>
    public static ChainValue Previous(string? path = null) => new Reference(ReferenceKind.Previous, null, Parts(path));

    /// <summary>A named step's result.</summary>
    /// <param name="step">The name the chain gave that step (<see cref="ToolChain.Then"/>); it must come before the
    /// step that uses this value.</param>
    /// <param name="path">A path into it, or null for all of it.</param>
    /// <returns>A reference, read when the step runs.</returns>
    /// <exception cref="ArgumentException"><paramref name="step"/> is null, empty or white space.</exception>
    public static ChainValue Step(string step, string? path = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        return new Reference(ReferenceKind.Step, step, Parts(path));
    }

    /// <summary>The arguments the chain itself was called with, as a JSON object.</summary>
    /// <param name="path">A path into it (an input's name), or null for all of it.</param>
    /// <returns>A reference, read when the step runs.</returns>
    public static ChainValue Input(string? path = null) => new Reference(ReferenceKind.Input, null, Parts(path));

    /// <summary>A fixed value, passed to the step as given; a <c>$</c> at its start is not read as a
    /// reference.</summary>
    /// <param name="value">The value (a string, number, bool, null or JSON node); a JSON node is copied, so changing it
    /// later does not change the chain.</param>
    /// <returns>A constant; each step that uses it gets its own copy.</returns>
    public static ChainValue Literal(object? value) => new Constant(value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        _ => JsonValue.Create(value),
    });

    /// <summary>An object whose fields are values.</summary>
    /// <param name="fields">Each field's name and value; a value may be a literal or a reference.</param>
    /// <returns>A JSON object made when the step runs, its fields in the order <paramref name="fields"/> gives
    /// them.</returns>
    public static ChainValue Object(IReadOnlyDictionary<string, ChainValue> fields) => new Composite(fields, null);

    /// <summary>An array of values.</summary>
    /// <param name="items">The array's elements, in order; each may be a literal or a reference.</param>
    /// <returns>A JSON array made when the step runs.</returns>
    public static ChainValue Array(IReadOnlyList<ChainValue> items) => new Composite(null, items);

    /// <summary>Reads the written form: <c>$prev</c>, <c>$input.x</c>, <c>$step.x.y</c> or <c>$steps.step.x</c> are
    /// references; <c>$$text</c> is the literal <c>$text</c>; anything else is a literal string.</summary>
    /// <param name="text">The written form, e.g. <c>$invoice.charges[0].id</c> or <c>high</c>.</param>
    /// <returns>A reference or a literal string.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> starts with <c>$</c> but names no step or input
    /// (<c>$</c>, <c>$.x</c>).</exception>
    public static ChainValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith('$'))
        {
            return Literal(text);
        }

        if (text.StartsWith("$$", StringComparison.Ordinal))
        {
            return Literal(text[1..]);
        }

        var body = text[1..];
        var dot = body.IndexOfAny(['.', '[']);
        var head = dot < 0 ? body : body[..dot];
        var rest = dot < 0 ? null : body[dot..].TrimStart('.');
        return head switch
        {
            "prev" or "previous" => Previous(rest),
            "input" => Input(rest),
            "steps" when rest is not null => Step(rest.Split('.', 2)[0], rest.Contains('.', StringComparison.Ordinal) ? rest.Split('.', 2)[1] : null),
            _ when head.Length > 0 => Step(head, rest),
            _ => throw new FormatException($"'{text}' is not a reference; write $prev, $input.<name> or $<step>.<field>."),
        };
    }

    /// <summary>Converts text in its written form (<see cref="Parse"/>), so a dictionary of arguments can take
    /// strings such as <c>"$input.invoiceId"</c> or <c>"high"</c>.</summary>
    /// <param name="text">The written form; see <see cref="Parse"/> for what it may be and what it throws.</param>
    public static implicit operator ChainValue(string text) => Parse(text);

    /// <summary>The names of the steps this value refers to.</summary>
    public abstract IEnumerable<string> StepsReferenced { get; }

    /// <summary>Produces the value from what the chain has so far.</summary>
    /// <param name="state">The chain's input and results.</param>
    /// <returns>A copy of the value the step is given, or null when the value is JSON null.</returns>
    /// <exception cref="ToolChainException">A path does not exist in the result it points into.</exception>
    internal abstract JsonNode? Resolve(ChainState state);

    private static string[] Parts(string? path) =>
        string.IsNullOrWhiteSpace(path) ? [] : path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);

    private enum ReferenceKind
    {
        Previous,
        Step,
        Input,
    }

    private sealed class Reference(ReferenceKind kind, string? step, string[] path) : ChainValue
    {
        public override IEnumerable<string> StepsReferenced => step is null ? [] : [step];

        internal override JsonNode? Resolve(ChainState state)
        {
            var (source, what) = kind switch
            {
                ReferenceKind.Input => (state.Input, "the chain's input"),
                ReferenceKind.Previous => (state.Previous, "the previous result"),
                _ => (state.Results.TryGetValue(step!, out var result) ? result : throw new ToolChainException($"step '{step}' has not run yet."), $"the result of step '{step}'"),
            };
            var node = source;
            var walked = "";
            foreach (var part in path)
            {
                walked += (walked.Length == 0 ? "" : ".") + part;
                node = node switch
                {
                    JsonObject obj when obj.TryGetPropertyValue(part, out var field) => field,
                    JsonArray array when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                    _ => throw new ToolChainException($"{what} has no '{walked}' ({Describe(node)})."),
                };
            }

            return node?.DeepClone();
        }

        private static string Describe(JsonNode? node) => node switch
        {
            JsonObject obj => $"its fields are {string.Join(", ", obj.Select(p => p.Key))}",
            JsonArray array => $"it is a list of {array.Count}",
            null => "it is null",
            _ => $"it is {node.ToJsonString()}",
        };
    }

    private sealed class Constant(JsonNode? value) : ChainValue
    {
        public override IEnumerable<string> StepsReferenced => [];

        internal override JsonNode? Resolve(ChainState state) => value?.DeepClone();
    }

    private sealed class Composite(IReadOnlyDictionary<string, ChainValue>? fields, IReadOnlyList<ChainValue>? items) : ChainValue
    {
        public override IEnumerable<string> StepsReferenced =>
            (fields?.Values ?? (IEnumerable<ChainValue>)items!).SelectMany(v => v.StepsReferenced);

        internal override JsonNode? Resolve(ChainState state) => fields is not null
            ? new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key, f.Value.Resolve(state))))
            : new JsonArray([.. items!.Select(i => i.Resolve(state))]);
    }
}
