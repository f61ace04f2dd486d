using System.Net;
using Cadre.Agents;
using Cadre.Hosting;
using Cadre.Memory.Shared;
using Cadre.Runs;
using Cadre.Sqlite;
using Cadre.Testing;
using Cadre.Tools;
using Cadre.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadre.Dashboard.Tests;

/// <summary>The dashboard in a real browser (Chromium through Playwright): what a person sees and does.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardPageTests(BrowserFixture chromium)
{
    [Fact(Timeout = 120_000)]
    public async Task A_run_started_by_another_program_appears_on_the_runs_page_without_a_reload()
    {
        await using var session = await DashboardSession.StartAsync(chromium.Browser);
        var page = session.Page;
        await Expect(page.Locator("#runs")).ToContainTextAsync("No runs yet");
        await page.EvaluateAsync("() => window.notReloaded = true");

        string runId;
        await using (var workspace = await SqliteWorkspace.OpenAsync(session.Workspace))
        {
            var model = new ScriptedChatClient([ScriptedReply.Say("Refund opened.")]);
            runId = (await Workflow.Sequential(new Agent("billing", model, "Help.")).RunAsync("refund INV-1001 twice charged", workspace)).Id;
        }

        var row = page.Locator($"tr[data-run='{runId}']");
        await Expect(row).ToContainTextAsync("completed");
        await Expect(row).ToContainTextAsync("billing");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await session.ScreenshotAsync("runs");

        await page.FillAsync("input[name=q]", "nothing like this");
        await page.ClickAsync("form.filters button");
        await Expect(page.Locator("#runs")).ToContainTextAsync("No run matches");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_pending_send_email_approved_in_the_page_sends_exactly_one_message_and_the_run_finishes()
    {
        await using var session = await DashboardSession.StartAsync(chromium.Browser);
        var host = new RunHost(new CadreHostOptions { CurrentDirectory = session.Root });
        var waiting = await host.RunAsync(new RunHost.Settings(RepoPaths.SupportDesk, session.Workspace) { WaitForApproval = true }, RepoPaths.SupportDeskTask, CancellationToken.None);
        Assert.Equal(RunStatus.WaitingForApproval, waiting.Run.Status);
        var outbox = Path.Combine(session.Workspace, "support-desk", "outbox");
        Assert.False(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox).Any());

        var page = session.Page;
        await page.GotoAsync(session.Url($"/runs/{waiting.Run.Id}").ToString());
        await Expect(page.Locator("#run")).ToContainTextAsync("waiting-for-approval");
        await session.ScreenshotAsync("run-waiting");
        await page.GotoAsync(session.Url("/approvals").ToString());
        var card = page.Locator(".approval").Filter(new LocatorFilterOptions { HasText = "send_email" });
        await Expect(card.Locator(".arguments")).ToContainTextAsync("\"john@example.com\"");
        await card.Locator("input[name=reason]").FillAsync("refund confirmed on the ticket");
        await session.ScreenshotAsync("approvals");
        await card.Locator("button.approve").ClickAsync();
        await Expect(page.Locator(".notice").First).ToContainTextAsync("continues");

        await page.GotoAsync(session.Url($"/runs/{waiting.Run.Id}").ToString());
        await Expect(page.Locator("#run .status").First).ToHaveTextAsync("completed", new LocatorAssertionsToHaveTextOptions { Timeout = 120_000 });
        await Expect(page.Locator("#run tr[data-tool='send_email']")).ToContainTextAsync("succeeded");
        await session.ScreenshotAsync("run-finished");
        await session.Server.WhenIdleAsync();

        Assert.Single(Directory.EnumerateFiles(outbox, "*.eml"));
        await using var workspace = await SqliteWorkspace.OpenAsync(session.Workspace);
        var audit = await workspace.Audit.QueryAsync(new AuditQuery { RunId = waiting.Run.Id, Tool = "send_email" });
        Assert.Contains(audit, e => e.Detail == $"approved by alice: refund confirmed on the ticket" && e.Status == ToolCallStatus.Succeeded);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_denial_in_the_page_reaches_the_model_as_a_tool_error()
    {
        await using var session = await DashboardSession.StartAsync(chromium.Browser);
        var sent = new List<string>();
        var model = new ScriptedChatClient([
            ScriptedReply.Call("send_email", new { to = "john@example.com" }),
            ScriptedReply.Call("send_email", new { to = "john@example.com" }),
            ScriptedReply.Say("I could not email John.")]);
        var send = new ToolDescriptor { RequiresApproval = true, SideEffects = SideEffects.Irreversible }
            .Attach(AIFunctionFactory.Create((string to) => { sent.Add(to); return "sent"; }, "send_email"));
        var workflow = Workflow.Sequential(new Agent("billing", model, "Mail.").WithTools(send)
            .WithToolInvoker(new GovernedToolInvoker(new GovernedToolOptions { Approver = new ApprovalQueue() })));
        await using var workspace = await SqliteWorkspace.OpenAsync(session.Workspace);
        var run = await workflow.RunAsync("mail john", workspace);
        Assert.Equal(RunStatus.WaitingForApproval, run.Status);

        var page = session.Page;
        await page.GotoAsync(session.Url("/approvals").ToString());
        var card = page.Locator(".approval").Filter(new LocatorFilterOptions { HasText = "send_email" });
        await card.Locator("button.deny").ClickAsync();
        await Expect(page.Locator(".error")).ToContainTextAsync("A denial needs a reason");
        await page.GotoAsync(session.Url("/approvals").ToString());
        await card.Locator("input[name=reason]").FillAsync("wrong customer");
        await card.Locator("input[name=by]").FillAsync("bob");
        await card.Locator("button.deny").ClickAsync();
        await Expect(page.Locator(".notice").First).ToContainTextAsync("Denied send_email");

        var resumed = await workflow.ResumeAsync(run.Id, workspace);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Empty(sent);
        var toolResult = model.Requests[^1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Contains("was not approved (bob: wrong customer)", toolResult.Result?.ToString());
        await page.GotoAsync(session.Url($"/runs/{run.Id}").ToString());
        var call = page.Locator("#run tr[data-tool='send_email']");
        await Expect(call).ToContainTextAsync("denied");
        await Expect(call).ToContainTextAsync("wrong customer");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_dead_letter_retried_in_the_page_runs_again_and_finishes()
    {
        await using var session = await DashboardSession.StartAsync(chromium.Browser);
        var script = Path.Combine(session.Root, "desk", "model.json");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        await File.WriteAllTextAsync(Path.Combine(session.Root, "desk", "cadre.yaml"), """
            model: scripted:model.json
            agents:
              writer: { instructions: Write the reply. }
            workflow: { type: sequential, price: { input: 1000000, output: 1000000 } }
            """);
        // An outage: every call fails, so the task ends in the dead-letter queue.
        await File.WriteAllTextAsync(script, "[" + string.Join(",", Enumerable.Repeat("""{ "error": "overloaded", "statusCode": 503 }""", 40)) + "]");
        var host = new RunHost(new CadreHostOptions { CurrentDirectory = session.Root });
        var failed = await host.RunAsync(new RunHost.Settings("desk", session.Workspace), "write to John", CancellationToken.None);
        Assert.Equal(RunStatus.DeadLettered, failed.Run.Status);
        // The model is back.
        await File.WriteAllTextAsync(script, """[ { "text": "Dear John, your refund is on its way." } ]""");

        var page = session.Page;
        await page.GotoAsync(session.Url("/dead-letters").ToString());
        var row = page.Locator("tr[data-letter]").Filter(new LocatorFilterOptions { HasText = failed.Run.Id });
        await Expect(row).ToContainTextAsync("overloaded");
        await session.ScreenshotAsync("dead-letters");
        await row.Locator("button.retry").ClickAsync();

        await Expect(page.Locator("#run .status").First).ToHaveTextAsync("completed", new LocatorAssertionsToHaveTextOptions { Timeout = 120_000 });
        await Expect(page.Locator("#run .answer")).ToContainTextAsync("your refund is on its way");
        var tokens = (await page.Locator("#run .card").First.InnerTextAsync()).Split(" · ").Single(p => p.EndsWith(" out)", StringComparison.Ordinal)).Split(' ')[0];
        await Expect(page.Locator("#run .card").First).ToContainTextAsync($"cost {tokens.Replace(",", "", StringComparison.Ordinal)}.0000");
        await session.Server.WhenIdleAsync();
        await page.GotoAsync(session.Url("/dead-letters?all=1").ToString());
        await Expect(page.Locator("tr[data-letter]").Filter(new LocatorFilterOptions { HasText = failed.Run.Id })).ToContainTextAsync("retried: the run is completed");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_memory_page_of_one_tenant_never_shows_another_tenants_memory()
    {
        await using var session = await DashboardSession.StartAsync(chromium.Browser);
        await using (var workspace = await SqliteWorkspace.OpenAsync(session.Workspace))
        {
            await workspace.Memory.For("acme").RememberAsync("John Carter prefers email about refunds.", new Dictionary<string, string> { ["customer"] = "C-1001" });
            await workspace.Memory.For("globex").RememberAsync("Globex secret: John Carter owes 90000 on refunds.");
            await workspace.Memory.Knowledge.AssertAsync("John Carter", "prefers", "email", new("acme"));
            await workspace.Memory.Knowledge.AssertAsync("John Carter", "owes", "globex-debt", new("globex"));
            await workspace.Memory.Blackboard(new("acme"), BlackboardActor.Operator()).WriteAsync("shared", "status", "refund open");
            await workspace.Memory.Blackboard(new("globex"), BlackboardActor.Operator()).WriteAsync("shared", "status", "globex-confidential");
        }

        var page = session.Page;
        await page.GotoAsync(session.Url("/memory?scope=acme&q=John+Carter+refunds").ToString());
        var scope = page.Locator(".scope");
        await Expect(scope).ToContainTextAsync("John Carter prefers email about refunds.");
        await Expect(scope.Locator("table.memories")).ToContainTextAsync("keyword");
        await session.ScreenshotAsync("memory");
        var shown = await scope.InnerTextAsync();
        Assert.DoesNotContain("Globex", shown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("90000", shown);

        await page.GotoAsync(session.Url("/memory?scope=acme").ToString());
        var listed = await page.Locator(".scope").InnerTextAsync();
        Assert.Contains("refund open", listed);
        Assert.Contains("prefers", listed);
        Assert.DoesNotContain("globex", listed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("owes", listed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Requests_without_the_token_or_without_anti_forgery_are_refused()
    {
        await using var session = await DashboardSession.StartAsync(chromium.Browser);
        using var stranger = new HttpClient { BaseAddress = session.Server.Address };

        foreach (var path in new[] { "/runs", "/approvals", "/live/runs", "/assets/app.js", "/memory?scope=acme" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(path)).StatusCode);
        }

        // The link worked once (the session signed in with it); a second use is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(session.Server.SignInUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("/approvals/ap-1", new FormUrlEncodedContent([new("decision", "approve")]))).StatusCode);

        // Signed in, but a form posted without the page's anti-forgery token (another site's form, say) is refused.
        var posted = await session.Page.APIRequest.PostAsync(session.Url("/dead-letters/dl-1").ToString(), new APIRequestContextOptions { Form = session.Page.APIRequest.CreateFormData().Set("action", "discard") });
        Assert.Equal(400, posted.Status);
        Assert.Contains("anti-forgery", await posted.TextAsync());
    }
}
