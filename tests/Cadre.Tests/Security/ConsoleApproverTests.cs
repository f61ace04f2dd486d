using Cadre.Agents;
using Cadre.Cli.Hosting;
using Cadre.Conversations;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Security;

/// <summary>The person at the terminal sees every argument of a call, however long another one is.</summary>
public sealed class ConsoleApproverTests
{
    [Fact]
    public async Task A_long_argument_cannot_hide_the_recipient_from_the_person_approving()
    {
        var questions = new List<string>();
        using var approver = new ConsoleApprover((question, choices, _) =>
        {
            questions.Add(question);
            return Task.FromResult("Deny");
        });
        var tool = AIFunctionFactory.Create((string subject, string[] to) => "sent", "send_email");
        var call = ToolCalls.Call("send_email", $$"""{"subject":"{{new string('x', 5_000)}}","to":["john@example.com","evil@attacker.com"]}""");

        await approver.DecideAsync(new ToolApprovalRequestContent("r", call), new ToolApprovalContext(new AgentContext { Agent = "billing" }, tool, ToolDescriptor.Of(tool), ToolResults.FormatArguments(call)), CancellationToken.None);

        var question = Assert.Single(questions);
        Assert.Contains("\n  to: [[\"john@example.com\",\"evil@attacker.com\"]]", question); // [ is escaped for Spectre
        Assert.Contains("\n  subject: \"xxx", question);
        Assert.Contains("(5,002 characters)", question);
        Assert.True(question.Length < 600, question);
    }
}
