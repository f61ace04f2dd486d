using System.ComponentModel;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>A descriptor travels with its AIFunction, from the fluent builder or the [Tool] attribute.</summary>
public sealed class ToolDescriptorTests
{
    private static readonly AIFunction Send = AIFunctionFactory.Create((string to) => $"sent to {to}", "send_email", "Send an email.");

    public sealed class Sample
    {
        [Tool(Category = "email", SideEffects = SideEffects.Irreversible, RequiresApproval = true, Tags = ["customer", "outbound"],
            RateLimit = "10/min", RateLimitPerAgent = "2/30s", TimeoutSeconds = 5, Idempotent = true, Capability = "notify", MaxRetries = 1)]
        [Description("Send an email.")]
        public static string SendEmail(string to) => to;

        [Tool(Category = "crm", CacheSeconds = 60, Exclusive = true, LongRunning = true)]
        public static string Lookup(string id) => id;

        /// <summary>Find a <see cref="Sample"/> customer by <paramref name="email"/>.</summary>
        /// <param name="email">The customer's  email
        ///   address.</param>
        /// <param name="limit">At most this many, like <c>5</c>.</param>
        /// <returns>The customers.</returns>
        [Tool]
        public static string[] FindCustomers(string email, int limit = 5) => [email];

        /// <summary>Ignored: the attribute wins.</summary>
        /// <param name="id">Ignored too.</param>
        /// <returns>The id.</returns>
        [Tool]
        [Description("From the attribute.")]
        public static string Described([Description("Id from the attribute.")] string id) => id;

        [Tool(RateLimit = "often")]
        public static string Broken(string id) => id;

        [Tool(CacheSeconds = 60, SideEffects = SideEffects.Reversible)]
        public static string Cached(string id) => id;
    }

    [Fact]
    public void The_tool_attribute_becomes_the_descriptor_of_the_function()
    {
        var tool = ToolAssembly.Create(typeof(Sample).GetMethod(nameof(Sample.SendEmail))!, null, new ToolAttribute { Category = "email", SideEffects = SideEffects.Irreversible, RequiresApproval = true, Tags = ["customer", "outbound"], RateLimit = "10/min", RateLimitPerAgent = "2/30s", TimeoutSeconds = 5, Idempotent = true, Capability = "notify", MaxRetries = 1 });
        var d = ToolDescriptor.Of(tool);

        Assert.Equal("send_email", tool.Name);
        Assert.Equal("Send an email.", tool.Description);
        Assert.Equal("email", d.Category);
        Assert.Equal(["customer", "outbound"], d.Tags);
        Assert.Equal(SideEffects.Irreversible, d.SideEffects);
        Assert.True(d.RequiresApproval);
        Assert.Equal(new ToolRateLimit(10, TimeSpan.FromMinutes(1)), d.RateLimit);
        Assert.Equal(new ToolRateLimit(2, TimeSpan.FromSeconds(30)), d.RateLimitPerAgent);
        Assert.Equal(TimeSpan.FromSeconds(5), d.Timeout);
        Assert.True(d.Idempotent);
        Assert.True(d.IsSafeToRepeat);
        Assert.Equal("notify", d.Capability);
        Assert.Equal(1, d.MaxRetries);
        // Other Microsoft.Extensions.AI hosts see the approval requirement too.
        Assert.NotNull(tool.GetService<ApprovalRequiredAIFunction>());
        Assert.Equal(SideEffects.Irreversible, ToolNames.SideEffectsOf(tool));
        Assert.Equal("email", tool.AdditionalProperties[ToolNames.CategoryKey]);
    }

    [Fact]
    public void Loading_an_assembly_describes_every_tool_and_rejects_bad_settings_with_the_method_named()
    {
        var lookup = ToolAssembly.Create(typeof(Sample).GetMethod(nameof(Sample.Lookup))!, null, new ToolAttribute { Category = "crm", CacheSeconds = 60, Exclusive = true, LongRunning = true });
        var d = ToolDescriptor.Of(lookup);
        Assert.Equal(TimeSpan.FromMinutes(1), d.CacheTtl);
        Assert.True(d.Exclusive);
        Assert.True(d.LongRunning);
        Assert.Null(lookup.GetService<ApprovalRequiredAIFunction>());

        var badLimit = Assert.Throws<ToolLoadException>(() => ToolAssembly.Create(typeof(Sample).GetMethod(nameof(Sample.Broken))!, null, new ToolAttribute { RateLimit = "often" }));
        Assert.Contains("Sample.Broken", badLimit.Message);
        Assert.Contains("10/min", badLimit.Message);
        var cachedSideEffect = Assert.Throws<ToolLoadException>(() => ToolAssembly.Create(typeof(Sample).GetMethod(nameof(Sample.Cached))!, null, new ToolAttribute { CacheSeconds = 60, SideEffects = SideEffects.Reversible }));
        Assert.Contains("only tools without side effects may cache", cachedSideEffect.Message);
    }

    [Fact]
    public void Describing_a_tool_again_replaces_its_descriptor_without_wrapping_twice()
    {
        var first = new ToolDescriptor { Category = "email", RequiresApproval = true }.Attach(Send);
        var second = new ToolDescriptor { Category = "mail" }.Attach(first);

        Assert.Equal("mail", ToolDescriptor.Of(second).Category);
        Assert.False(ToolDescriptor.Of(second).RequiresApproval);
        Assert.Null(second.GetService<ApprovalRequiredAIFunction>());
        Assert.Equal("send_email", second.Name);
        Assert.Equal(Send.JsonSchema.GetRawText(), second.JsonSchema.GetRawText());
    }

    [Fact]
    public async Task A_described_tool_still_runs_the_function()
    {
        var tool = new ToolDescriptor { SideEffects = SideEffects.Irreversible, RequiresApproval = true }.Attach(Send);
        Assert.Equal("sent to a@b.c", await tool.InvokeAsync(new AIFunctionArguments { ["to"] = "a@b.c" }) switch { System.Text.Json.JsonElement e => e.GetString(), var o => o?.ToString() });
    }

    [Fact]
    public void A_function_wrapped_for_approval_elsewhere_requires_approval()
    {
        Assert.True(ToolDescriptor.Of(new ApprovalRequiredAIFunction(Send)).RequiresApproval);
        Assert.Same(ToolDescriptor.Default, ToolDescriptor.Of(Send));
    }

    [Theory]
    [InlineData("10/min", 10, 60)]
    [InlineData("5/s", 5, 1)]
    [InlineData("100/hour", 100, 3600)]
    [InlineData("3/30s", 3, 30)]
    [InlineData("1 / 2m", 1, 120)]
    public void Rate_limits_read_as_calls_per_period(string text, int permits, int seconds)
    {
        Assert.Equal(new ToolRateLimit(permits, TimeSpan.FromSeconds(seconds)), ToolRateLimit.Parse(text));
    }

    [Theory]
    [InlineData("ten/min")]
    [InlineData("0/min")]
    [InlineData("5/fortnight")]
    [InlineData("5")]
    public void A_malformed_rate_limit_says_how_to_write_one(string text)
    {
        Assert.Contains("10/min", Assert.Throws<FormatException>(() => ToolRateLimit.Parse(text)).Message);
    }

    [Fact]
    public void Inconsistent_descriptors_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ToolDescriptor { CacheTtl = TimeSpan.FromMinutes(1), SideEffects = SideEffects.Irreversible }.Attach(Send));
        Assert.Throws<ArgumentException>(() => new ToolDescriptor { Timeout = TimeSpan.Zero }.Attach(Send));
        Assert.Throws<ArgumentException>(() => new ToolDescriptor { MaxRetries = -1 }.Attach(Send));
        Assert.Throws<ArgumentException>(() => new ToolDescriptor { RateLimit = new ToolRateLimit(0, TimeSpan.FromSeconds(1)) }.Attach(Send));
    }

    [Fact]
    public void Without_description_attributes_the_xml_documentation_describes_the_tool_and_its_parameters()
    {
        var documented = ToolAssembly.Create(typeof(Sample).GetMethod(nameof(Sample.FindCustomers))!, null, new ToolAttribute());
        var attributed = ToolAssembly.Create(typeof(Sample).GetMethod(nameof(Sample.Described))!, null, new ToolAttribute());

        Assert.Equal("Find a Sample customer by email.", documented.Description);
        var properties = documented.JsonSchema.GetProperty("properties");
        Assert.Equal("The customer's email address.", properties.GetProperty("email").GetProperty("description").GetString());
        Assert.Equal("At most this many, like 5.", properties.GetProperty("limit").GetProperty("description").GetString());
        Assert.Equal(5, properties.GetProperty("limit").GetProperty("default").GetInt32());
        Assert.Equal("From the attribute.", attributed.Description);
        Assert.Equal("Id from the attribute.", attributed.JsonSchema.GetProperty("properties").GetProperty("id").GetProperty("description").GetString());
    }

    private sealed class OneCall : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "send_email", new Dictionary<string, object?> { ["to"] = "a@b.c" })])));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_tool_that_requires_approval_asks_for_it_in_other_Microsoft_Extensions_AI_hosts_too()
    {
        var sent = 0;
        var tool = new ToolDescriptor { RequiresApproval = true }.Attach(AIFunctionFactory.Create((string to) => { sent++; return "sent"; }, "send_email"));
        using var client = new ChatClientBuilder(new OneCall()).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("mail a@b.c", new ChatOptions { Tools = [tool] });

        var request = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("send_email", ((FunctionCallContent)request.ToolCall).Name);
        Assert.Equal(0, sent);
    }
}
