using Cadre.OpenAI;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>The registry: registration at run time, discovery by category, tag and ranked text, schema export.</summary>
public sealed class ToolRegistryTests
{
    private static ToolRegistry Desk() => new ToolRegistry()
        .Add(AIFunctionFactory.Create((string query) => "[]", "search_customer", "Find customers by email address, name or customer id."), t => t.Category("crm").Tags("read-only"))
        .Add(AIFunctionFactory.Create((string invoiceId) => "{}", "lookup_invoice", "Look up an invoice with its amount, status and every card charge."), t => t.Category("crm").Tags("billing", "read-only"))
        .Add(AIFunctionFactory.Create((string chargeId, decimal amount) => "ok", "refund_charge", "Refund a card charge to the customer."), t => t.Category("payments").Tags("billing").SideEffects(SideEffects.Irreversible).RequiresApproval())
        .Add(AIFunctionFactory.Create((string to, string subject, string body) => "sent", "send_email", "Send an email to a customer."), t => t.Category("email").SideEffects(SideEffects.Irreversible))
        .Add(AIFunctionFactory.Create((string address) => "1,2", "geocode", "Turn a street address into coordinates."), t => t.Capability("geocode"))
        .Add(AIFunctionFactory.Create((string address) => "1,2", "geocode_backup", "Turn a street address into coordinates (backup provider)."), t => t.Capability("geocode"));

    [Fact]
    public void Tools_are_found_by_name_category_and_tag()
    {
        var registry = Desk();

        Assert.Equal(6, registry.Count);
        Assert.Equal("lookup_invoice", registry.Find("lookup_invoice")!.Name);
        Assert.Null(registry.Find("nope"));
        Assert.Equal(["search_customer", "lookup_invoice"], registry.InCategory("crm").Select(t => t.Name));
        Assert.Equal(["lookup_invoice", "refund_charge"], registry.Tagged("BILLING").Select(t => t.Name));
        Assert.Equal(["crm", "email", "payments"], registry.Categories);
        Assert.Equal(["geocode_backup"], registry.AlternativesTo(registry.Find("geocode")!).Select(t => t.Name));
        Assert.True(ToolDescriptor.Of(registry.Find("refund_charge")!).RequiresApproval);
        Assert.NotNull(registry.Find("refund_charge")!.GetService<ApprovalRequiredAIFunction>());
    }

    [Fact]
    public void Grants_resolve_names_categories_and_everything_and_an_unknown_grant_lists_what_exists()
    {
        var registry = Desk();

        Assert.Equal(["search_customer", "lookup_invoice", "send_email"], registry.Select("crm", "send_email").Select(t => t.Name));
        Assert.Equal(6, registry.Select("*").Count);
        var error = Assert.Throws<ArgumentException>(() => registry.Select("crm", "billing"));
        Assert.Contains("'billing' is neither a tool nor a category", error.Message);
        Assert.Contains("categories: crm, payments, email", error.Message);
    }

    [Fact]
    public void Tools_can_be_added_and_removed_at_run_time_and_names_stay_unique()
    {
        var registry = Desk();
        var changes = 0;
        registry.Changed += (_, _) => changes++;

        Assert.True(registry.Remove("geocode_backup"));
        Assert.False(registry.Remove("geocode_backup"));
        Assert.Empty(registry.AlternativesTo(registry.Find("geocode")!));
        var duplicate = Assert.Throws<ArgumentException>(() => registry.Add(AIFunctionFactory.Create(() => "x", "geocode")));
        Assert.Contains("already registered", duplicate.Message);
        registry.AddRange([AIFunctionFactory.Create(() => "x", "a"), AIFunctionFactory.Create(() => "y", "b")]);
        Assert.Throws<ArgumentException>(() => registry.AddRange([AIFunctionFactory.Create(() => "x", "c"), AIFunctionFactory.Create(() => "x", "a")]));
        Assert.Null(registry.Find("c"));
        Assert.Equal(2, changes);
    }

    [Fact]
    public async Task Registration_and_lookup_are_safe_from_many_threads()
    {
        var registry = new ToolRegistry();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var name = $"tool_{worker}_{i}";
                registry.Add(AIFunctionFactory.Create(() => name, name, $"Tool number {i} of worker {worker}"));
                Assert.NotNull(registry.Find(name));
                _ = registry.Search("worker tool", 3);
                if (i % 2 == 0)
                {
                    Assert.True(registry.Remove(name));
                }
            }
        })));

        Assert.Equal(8 * 100, registry.Count);
        Assert.Equal(registry.Count, registry.Tools.Select(t => t.Name).Distinct().Count());
    }

    [Fact]
    public void Text_search_ranks_name_matches_and_rare_words_first()
    {
        var registry = Desk();

        var refund = registry.Search("refund a charge");
        Assert.Equal("refund_charge", refund[0].Tool.Name);
        Assert.True(refund[0].Score > refund[^1].Score || refund.Count == 1);

        Assert.Equal("lookup_invoice", registry.Search("invoice")[0].Tool.Name);
        Assert.Equal("lookup_invoice", registry.Search("invoic")[0].Tool.Name); // a word's start matches
        Assert.Equal("send_email", registry.Search("send_email")[0].Tool.Name);
        Assert.Equal(["geocode", "geocode_backup"], registry.Search("coordinates for an address").Take(2).Select(m => m.Tool.Name).Order());
        Assert.Empty(registry.Search("weather forecast"));
        Assert.Single(registry.Search("customer", limit: 1));
        Assert.DoesNotContain(registry.Search("customer", within: t => ToolDescriptor.Of(t).Category != "crm"), m => m.Tool.Name == "search_customer");
    }

    [Fact]
    public void The_OpenAI_function_schema_of_any_selection_can_be_exported()
    {
        var registry = Desk();

        var schema = OpenAIToolSchema.Of(registry.InCategory("crm"));

        Assert.Equal(2, schema.Count);
        Assert.Equal("function", (string?)schema[0]!["type"]);
        Assert.Equal("search_customer", (string?)schema[0]!["function"]!["name"]);
        Assert.Equal("Find customers by email address, name or customer id.", (string?)schema[0]!["function"]!["description"]);
        Assert.Equal("string", (string?)schema[0]!["function"]!["parameters"]!["properties"]!["query"]!["type"]);
        Assert.Equal(6, OpenAIToolSchema.Of(registry.Tools).Count);
    }

    [Fact]
    public async Task The_discovery_tool_finds_permitted_tools_and_offers_them_for_the_rest_of_the_turn()
    {
        var registry = Desk();
        var discovery = registry.CreateDiscoveryTool();
        var offered = new List<string>();
        var invoker = new GovernedToolInvoker(new GovernedToolOptions
        {
            Registry = registry,
            Permissions = new ToolPermissions().Grant("billing", "crm", "payments", "find_tools"),
        });
        var request = ToolCalls.Request("find_tools", """{"query":"invoice charges"}""", [discovery], ToolCalls.Run("billing")) with { Offer = t => offered.Add(t.Name) };

        var record = await invoker.InvokeAsync(request, CancellationToken.None);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.Contains("lookup_invoice", record.Result);
        Assert.Contains("\"parameters\"", record.Result);
        Assert.DoesNotContain("send_email", record.Result); // not granted to billing
        Assert.Contains("lookup_invoice", offered);
        Assert.DoesNotContain("send_email", offered);

        var byCategory = await invoker.InvokeAsync(ToolCalls.Request("find_tools", """{"category":"payments"}""", [discovery], ToolCalls.Run("billing")), CancellationToken.None);
        Assert.Contains("refund_charge", byCategory.Result);
        Assert.DoesNotContain("lookup_invoice", byCategory.Result);

        var nothing = await invoker.InvokeAsync(ToolCalls.Request("find_tools", """{"query":"weather"}""", [discovery], ToolCalls.Run("billing")), CancellationToken.None);
        Assert.Contains("No tool matches", nothing.Result);
    }

    [Fact]
    public void An_agent_is_granted_registry_tools_by_name_and_category()
    {
        var registry = Desk();
        var agent = new Cadre.Agents.Agent("billing", new Cadre.Testing.ScriptedChatClient([]), "Help.").WithTools(registry, "crm", "send_email");

        Assert.Equal(["search_customer", "lookup_invoice", "send_email"], agent.Tools.Select(t => t.Name));
        Assert.Same(registry.Find("send_email"), agent.Tools[2]);
        Assert.Throws<ArgumentException>(() => agent.WithTools(registry, "weather"));
    }
}
