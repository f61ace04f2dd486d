using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Tools;

/// <summary>A tool learns who called it from its arguments (Cadre.Abstractions only), on every invoker.</summary>
public sealed class ToolCallerTests
{
    private static AIFunction WhoAmI() => AIFunctionFactory.Create(
        (string greeting, AIFunctionArguments call) => greeting + " " + (ToolCaller.Of(call) is { } c ? $"{c.Agent}@{c.RunId}/{c.Step}" : "nobody"),
        "who_am_i");

    public static TheoryData<string> Invokers => new() { "governed", "direct" };

    [Theory]
    [MemberData(nameof(Invokers))]
    public async Task The_caller_is_the_agent_run_and_step_of_the_turn_and_the_model_does_not_see_it(string kind)
    {
        var tool = WhoAmI();
        IToolInvoker invoker = kind == "governed"
            ? new GovernedToolInvoker(new GovernedToolOptions { Registry = new ToolRegistry().Add(tool) })
            : new DirectToolInvoker();

        var record = await invoker.InvokeAsync(ToolCalls.Request("who_am_i", """{"greeting":"hi"}""", [tool], ToolCalls.Run("billing", "r7", 3)), CancellationToken.None);

        Assert.Equal((ToolCallStatus.Succeeded, "hi billing@r7/3"), (record.Status, record.Result.Trim('"')));
        Assert.DoesNotContain("call", tool.JsonSchema.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoked_outside_Cadre_there_is_no_caller()
    {
        var result = await WhoAmI().InvokeAsync(new AIFunctionArguments { ["greeting"] = "hi" });

        Assert.Equal("hi nobody", result?.ToString()?.Trim('"'));
    }
}
