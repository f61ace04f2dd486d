using System.ComponentModel;
using System.Text.Json;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>Arguments are checked against the schema AIFunctionFactory makes from typed parameters, and every
/// problem is named so a model can fix it.</summary>
public sealed class ArgumentSchemaTests
{
    public enum Priority { Low, Normal, High }

    public sealed record Address(string Street, int Zip);

    private static readonly AIFunction Tool = AIFunctionFactory.Create(
        (string customerId, int count, Priority priority, Address address, string[] tags, double? ratio = null, string note = "") => "ok",
        "open_case");

    private static readonly ArgumentSchema Schema = ArgumentSchema.Compile(Tool.JsonSchema);

    private static List<string> Check(string json) =>
        Schema.Validate(ToolCalls.Call("open_case", json).Arguments).Select(e => e.ToString()).ToList();

    [Fact]
    public void Arguments_that_fit_pass_with_optional_ones_left_out()
    {
        Assert.Empty(Check("""{"customerId":"C-1","count":2,"priority":"High","address":{"street":"Main","zip":1000},"tags":["a"]}"""));
        Assert.Empty(Check("""{"customerId":"C-1","count":2,"priority":"Low","address":{"street":"Main","zip":1000},"tags":[],"ratio":null,"note":"x"}"""));
    }

    [Theory]
    [InlineData("""{"customerId":5,"count":2,"priority":"High","address":{"street":"M","zip":1},"tags":[]}""", "customerId: must be a string, not 5")]
    [InlineData("""{"customerId":"C","count":"2","priority":"High","address":{"street":"M","zip":1},"tags":[]}""", "count: must be an integer, not a string ('2')")]
    [InlineData("""{"customerId":"C","count":2.5,"priority":"High","address":{"street":"M","zip":1},"tags":[]}""", "count: must be an integer, not 2.5")]
    [InlineData("""{"customerId":"C","count":2,"priority":"Urgent","address":{"street":"M","zip":1},"tags":[]}""", "priority: must be one of 'Low', 'Normal', 'High', not 'Urgent'")]
    [InlineData("""{"customerId":"C","count":2,"priority":"High","address":{"street":"M"},"tags":[]}""", "address: the required field 'zip' is missing")]
    [InlineData("""{"customerId":"C","count":2,"priority":"High","address":{"street":"M","zip":1},"tags":["a",7]}""", "tags[1]: must be a string, not 7")]
    [InlineData("""{"count":2,"priority":"High","address":{"street":"M","zip":1},"tags":[]}""", "the required field 'customerId' is missing")]
    [InlineData("""{"customerId":"C","count":2,"priority":"High","address":{"street":"M","zip":1},"tags":[],"colour":"red"}""", "unknown field 'colour'; its fields are customerId, count, priority, address, tags, ratio, note")]
    [InlineData("""{"customerId":"C","count":2,"priority":"High","address":{"street":"M","zip":1,"city":"X"},"tags":[]}""", "address: unknown field 'city'; its fields are street, zip")]
    [InlineData("""{"customerId":"C","count":2,"priority":"High","address":"Main St","tags":[]}""", "address: must be an object, not a string ('Main St')")]
    public void Each_problem_is_named_with_where_it_is(string json, string expected)
    {
        Assert.Equal([expected], Check(json));
    }

    [Fact]
    public void Several_problems_are_all_reported()
    {
        var errors = Check("""{"customerId":1,"count":"x","priority":"High","address":{},"tags":[]}""");
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Ranges_lengths_patterns_and_item_counts_are_checked()
    {
        var schema = ArgumentSchema.Compile(JsonDocument.Parse("""
            { "type": "object", "properties": {
                "n": { "type": "number", "minimum": 1, "maximum": 10 },
                "x": { "type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 5 },
                "code": { "type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[A-Z]+$" },
                "list": { "type": "array", "minItems": 1, "maxItems": 2, "items": { "type": "integer" } },
                "extra": { "type": "object", "additionalProperties": true } } }
            """).RootElement);
        List<string> Errors(string json) => schema.Validate(JsonDocument.Parse(json).RootElement).Select(e => e.ToString()).ToList();

        Assert.Empty(Errors("""{"n":1,"x":4,"code":"AB","list":[1],"extra":{"anything":1}}"""));
        Assert.Equal(["n: must be at least 1, not 0.5"], Errors("""{"n":0.5}"""));
        Assert.Equal(["n: must be at most 10, not 11"], Errors("""{"n":11}"""));
        Assert.Equal(["x: must be greater than 0, not 0"], Errors("""{"x":0}"""));
        Assert.Equal(["x: must be less than 5, not 5"], Errors("""{"x":5}"""));
        Assert.Equal(["code: must have at least 2 characters", "code: must match the pattern ^[A-Z]+$"], Errors("""{"code":"a"}"""));
        Assert.Equal(["code: must have at most 4 characters"], Errors("""{"code":"ABCDE"}"""));
        Assert.Equal(["list: must have at least 1 items, not 0"], Errors("""{"list":[]}"""));
        Assert.Equal(["list: must have at most 2 items, not 3"], Errors("""{"list":[1,2,3]}"""));
    }

    [Fact]
    public void Nullable_types_anyOf_and_local_references_are_understood()
    {
        var schema = ArgumentSchema.Compile(JsonDocument.Parse("""
            { "type": "object", "properties": {
                "maybe": { "type": ["string", "null"] },
                "either": { "anyOf": [ { "type": "integer" }, { "type": "string", "enum": ["all"] } ] },
                "node": { "$ref": "#/$defs/node" } },
              "$defs": { "node": { "type": "object", "properties": { "next": { "$ref": "#/$defs/node" }, "v": { "type": "integer" } } } } }
            """).RootElement);
        List<string> Errors(string json) => schema.Validate(JsonDocument.Parse(json).RootElement).Select(e => e.ToString()).ToList();

        Assert.Empty(Errors("""{"maybe":null,"either":3,"node":{"v":1,"next":{"v":2}}}"""));
        Assert.Empty(Errors("""{"either":"all"}"""));
        Assert.Equal(["maybe: must be a string or null, not 3"], Errors("""{"maybe":3}"""));
        Assert.Equal(["either: must be an integer, not a string ('some')"], Errors("""{"either":"some"}"""));
        Assert.Equal(["node.next.v: must be an integer, not a string ('x')"], Errors("""{"node":{"next":{"v":"x"}}}"""));
    }

    [Fact]
    public void Values_given_as_dotnet_objects_are_checked_like_json()
    {
        var errors = Schema.Validate(new Dictionary<string, object?>
        {
            ["customerId"] = "C-1", ["count"] = 2, ["priority"] = "High", ["address"] = new Address("M", 1), ["tags"] = new[] { "a" },
        });
        Assert.Empty(errors);
        Assert.Single(Schema.Validate(new Dictionary<string, object?>
        {
            ["customerId"] = "C-1", ["count"] = "two", ["priority"] = "High", ["address"] = new Address("M", 1), ["tags"] = new[] { "a" },
        }));
    }

    [Fact]
    public void An_empty_schema_accepts_anything()
    {
        Assert.Empty(ArgumentSchema.Compile(default).Validate(new Dictionary<string, object?> { ["x"] = 1 }));
        Assert.Empty(ArgumentSchema.Any.Validate(JsonDocument.Parse("[1]").RootElement));
    }

    [Fact]
    public void Described_parameters_keep_their_descriptions_in_the_schema()
    {
        var tool = AIFunctionFactory.Create(([Description("The id.")] string id) => id, "get");
        Assert.Contains("The id.", tool.JsonSchema.GetRawText());
        Assert.Empty(ArgumentSchema.Compile(tool.JsonSchema).Validate(ToolCalls.Call("get", """{"id":"x"}""").Arguments));
    }
}
