using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tools.Chains;

/// <summary>
/// Tools run in sequence, each step's arguments made from the chain's input, earlier results or literals:
/// <code>
/// var refund = new ToolChain("refund_duplicate", "Open a refund ticket for an invoice charged twice.")
///     .WithInput("invoiceId", "string", "The invoice id.")
///     .Then("invoice", "lookup_invoice", new() { ["invoiceId"] = "$input.invoiceId" })
///     .Then("ticket", "create_ticket", new() { ["customerId"] = "$invoice.customerId", ["subject"] = "Refund", ["priority"] = "high" });
/// registry.Add(refund.Bind(registry));
/// </code>
/// Every step is a governed call (permission, validation, approval, limits, ledger, audit) made within the chain's
/// own call; a step that fails stops the chain with the step, its input and the error.
/// </summary>
public sealed class ToolChain
{
    private ToolChain(string name, string description, IReadOnlyList<ChainInput> inputs, IReadOnlyList<ChainStep> steps, string? category)
    {
        Name = name;
        Description = description;
        Inputs = inputs;
        Steps = steps;
        Category = category;
    }

    /// <summary>Starts a chain with no steps.</summary>
    /// <param name="name">Its name as a tool.</param>
    /// <param name="description">What it does, for the model.</param>
    public ToolChain(string name, string description)
        : this(name, description, [], [], null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
    }

    /// <summary>Its name as a tool.</summary>
    public string Name { get; }

    /// <summary>What it does, as the model sees it in the tool's description.</summary>
    public string Description { get; }

    /// <summary>The inputs it takes (all required); any object when none are declared.</summary>
    public IReadOnlyList<ChainInput> Inputs { get; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ChainStep> Steps { get; }

    /// <summary>Its category as a tool.</summary>
    public string? Category { get; }

    /// <summary>Returns a copy that takes one more input.</summary>
    /// <param name="name">The property name in the chain's input object; steps read it as <c>$input.name</c>. The
    /// input is required.</param>
    /// <param name="type">Its JSON type: string (the default), integer, number, boolean, object or array.</param>
    /// <param name="description">Its description in the schema the model sees; null leaves it out.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space, or
    /// <paramref name="type"/> is not one of the six JSON types.</exception>
    public ToolChain WithInput(string name, string type = "string", string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (type is not ("string" or "integer" or "number" or "boolean" or "object" or "array"))
        {
            throw new ArgumentException($"Chain '{Name}': input '{name}' has type '{type}'; use string, integer, number, boolean, object or array.", nameof(type));
        }

        return new(Name, Description, [.. Inputs, new ChainInput(name, type, description)], Steps, Category);
    }

    /// <summary>Returns a copy in a category, which the bound tool carries.</summary>
    /// <param name="category">A name grants and discovery can use instead of naming the tool (<c>crm</c>); it
    /// replaces any category set before.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public ToolChain InCategory(string category) => new(Name, Description, Inputs, Steps, category);

    /// <summary>Returns a copy with one more step.</summary>
    /// <param name="name">A name later steps use to read its result (<c>$name.field</c>); unique in the chain and not
    /// <c>prev</c>, <c>previous</c>, <c>input</c> or <c>steps</c>.</param>
    /// <param name="tool">The name of the tool it calls; <see cref="Bind"/> checks that it exists.</param>
    /// <param name="arguments">Where each argument comes from; null calls the tool with no arguments.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    /// <exception cref="ArgumentException">The name is taken, or an argument refers to a step that does not come
    /// before.</exception>
    public ToolChain Then(string name, string tool, Dictionary<string, ChainValue>? arguments = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        if (Steps.Any(s => s.Name == name) || name is "prev" or "previous" or "input" or "steps")
        {
            throw new ArgumentException($"Chain '{Name}': a step is already named '{name}' (or it is a reserved word: prev, input, steps).", nameof(name));
        }

        var known = Steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (argument, value) in arguments ?? [])
        {
            if (value.StepsReferenced.FirstOrDefault(s => !known.Contains(s)) is { } unknown)
            {
                throw new ArgumentException($"Chain '{Name}', step '{name}': argument '{argument}' refers to step '{unknown}', which does not come before it. Earlier steps: {(known.Count == 0 ? "none" : string.Join(", ", known))}.", nameof(arguments));
            }
        }

        return new(Name, Description, Inputs, [.. Steps, new ChainStep(name, tool, arguments ?? [])], Category);
    }

    /// <summary>The chain as a tool that agents can be granted, its steps bound to <paramref name="tools"/>.</summary>
    /// <param name="tools">Where the steps' tools are found (a <see cref="ToolRegistry"/> or a list).</param>
    /// <returns>The tool; its side effects are the strongest of its steps'.</returns>
    /// <exception cref="ArgumentException">The chain has no step, or a step's tool is not among <paramref name="tools"/>.</exception>
    public AIFunction Bind(IEnumerable<AIFunction> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (Steps.Count == 0)
        {
            throw new ArgumentException($"Chain '{Name}' has no steps.", nameof(tools));
        }

        var available = tools.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var bound = new AIFunction[Steps.Count];
        for (var i = 0; i < Steps.Count; i++)
        {
            bound[i] = available.TryGetValue(Steps[i].Tool, out var tool)
                ? tool
                : throw new ArgumentException($"Chain '{Name}', step '{Steps[i].Name}': there is no tool '{Steps[i].Tool}'. Tools: {string.Join(", ", available.Keys)}.", nameof(tools));
        }

        var effects = bound.Select(t => ToolDescriptor.Of(t).SideEffects).Max();
        return new ToolDescriptor { Category = Category, SideEffects = effects }.Attach(new ChainFunction(this, bound));
    }

    /// <summary>Runs the chain: each step through <paramref name="invoker"/>, as calls made within
    /// <paramref name="parent"/>.</summary>
    /// <param name="input">The arguments the chain was called with (what <c>$input</c> reads and what <c>$prev</c>
    /// reads in the first step); may be null.</param>
    /// <param name="tools">The steps' tools, in step order (from <see cref="Bind"/>).</param>
    /// <param name="invoker">The invoker for the steps (the governed path).</param>
    /// <param name="parent">The call of the chain; its context and idempotency key scope the steps.</param>
    /// <param name="cancellationToken">Cancels the step in flight, which throws
    /// <see cref="OperationCanceledException"/>; the later steps do not run and the steps already made are not
    /// undone.</param>
    /// <returns>How it went; a failed step stops it.</returns>
    public async Task<ToolChainResult> RunAsync(JsonNode? input, IReadOnlyList<AIFunction> tools, IToolInvoker invoker, ToolCallRequest parent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(parent);
        var state = new ChainState(input);
        var results = new List<ChainStepResult>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            JsonObject arguments;
            try
            {
                arguments = new JsonObject(step.Arguments.Select(a => KeyValuePair.Create(a.Key, a.Value.Resolve(state))));
            }
            catch (ToolChainException ex)
            {
                results.Add(new ChainStepResult(i + 1, step.Name, step.Tool, "{}", ToolCallStatus.InvalidArguments, ToolResults.Error(ex.Message)));
                return new ToolChainResult(results, null);
            }

            var json = arguments.ToJsonString();
            var call = new FunctionCallContent(
                string.Create(CultureInfo.InvariantCulture, $"{parent.Call.CallId}.{i + 1}"),
                step.Tool,
                JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions));
            var record = await invoker.InvokeAsync(new ToolCallRequest(parent.Context, call, tools, i + 1) { Parent = $"{parent.IdempotencyKey}/{Name}" }, cancellationToken);
            results.Add(new ChainStepResult(i + 1, step.Name, step.Tool, json, record.Status, record.Result));
            if (!record.Succeeded)
            {
                return new ToolChainResult(results, null);
            }

            var output = Parse(record.Result);
            state.Results[step.Name] = output;
            state.Previous = output;
        }

        return new ToolChainResult(results, results[^1].Output);
    }

    private static JsonNode? Parse(string result)
    {
        try
        {
            return JsonNode.Parse(result);
        }
        catch (JsonException)
        {
            return JsonValue.Create(result);
        }
    }

    /// <summary>The input schema the model sees.</summary>
    internal JsonElement Schema()
    {
        var schema = new JsonObject { ["type"] = "object" };
        if (Inputs.Count == 0)
        {
            schema["additionalProperties"] = true;
        }
        else
        {
            schema["properties"] = new JsonObject(Inputs.Select(i => KeyValuePair.Create(i.Name, (JsonNode?)new JsonObject
            {
                ["type"] = i.Type,
                ["description"] = i.Description,
            })));
            schema["required"] = new JsonArray([.. Inputs.Select(i => (JsonNode)i.Name)]);
        }

        return JsonSerializer.SerializeToElement(schema);
    }
}
