using System.Text;
using Cadre.Conversations;
using Cadre.Specs;
using Cadre.Tests.Support;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Security;

/// <summary>Hostile sizes are bounded: tool results, arguments, nested YAML, long unbroken text to count.</summary>
public sealed class BoundsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_huge_tool_result_reaches_the_model_cut_with_a_note_saying_how_much()
    {
        var flood = AIFunctionFactory.Create(() => new string('x', 300_000), "flood");
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { ResultBudget = new ToolResultBudget { MaxBytes = 10_000, MaxTokens = 100_000 } });

        var record = await invoker.InvokeAsync(ToolCalls.Request("flood", "{}", [flood]), CancellationToken.None);

        Assert.Equal(ToolCallStatus.Succeeded, record.Status);
        Assert.StartsWith(new string('x', 10_000), record.Result);
        Assert.EndsWith("\n[cut: the result was 300,000 bytes; only the first 10,000 bytes are shown, 290,000 bytes were cut. Ask for less (a narrower query, a page) if you need the rest.]", record.Result);
    }

    [Fact]
    public void A_result_over_the_token_budget_is_cut_to_it_without_splitting_a_character()
    {
        var budget = new ToolResultBudget { MaxBytes = 1_000_000, MaxTokens = 500 };
        var text = string.Concat(Enumerable.Repeat("Invoice INV-1001 was charged twice 😀 ", 400));

        var fitted = budget.Fit(text);

        var kept = fitted[..fitted.IndexOf("\n[cut:", StringComparison.Ordinal)];
        Assert.InRange(TokenCounter.Default.CountTokens(kept), 400, 500);
        Assert.False(char.IsHighSurrogate(kept[^1]));
        Assert.Contains($"the result was {Encoding.UTF8.GetByteCount(text):N0} bytes, {TokenCounter.Default.CountTokens(text):N0} tokens", fitted);
        Assert.Equal("short", budget.Fit("short"));
    }

    [Fact]
    public void Long_text_is_counted_in_pieces_exactly_where_it_has_spaces_and_close_where_it_has_none()
    {
        var words = new[] { "refund", "charge", "invoice", "customer", "ticket", "duplicate", "card", "billing" };
        var prose = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => words[(i * 7) % words.Length]));
        var tokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base");
        var unbroken = string.Concat(Enumerable.Range(0, 200_000).Select(i => (char)('a' + (i * 31 % 26))));

        Assert.Equal(tokenizer.CountTokens(prose), TokenCounter.Default.CountTokens(prose));
        var pieces = TokenCounter.Default.CountTokens(unbroken);
        Assert.InRange(pieces, unbroken.Length / 8, unbroken.Length);
    }

    [Fact]
    public async Task Oversized_arguments_are_refused_before_the_tool_and_not_kept_whole()
    {
        var called = false;
        var note = new ToolDescriptor { MaxArgumentBytes = 1_000 }.Attach(AIFunctionFactory.Create((string text) => called = true, "note"));
        var audit = new InMemoryAuditLog();
        var invoker = new GovernedToolInvoker(new GovernedToolOptions { Audit = audit });

        var record = await invoker.InvokeAsync(ToolCalls.Request("note", $$"""{"text":"{{new string('a', 5_000)}}"}""", [note]), CancellationToken.None);

        Assert.Equal(ToolCallStatus.InvalidArguments, record.Status);
        Assert.Equal("Error: the arguments for 'note' are 5,011 bytes; at most 1,000 are accepted. Send less (shorter text, fewer items).", record.Result);
        Assert.False(called);
        var entry = Assert.Single(await audit.QueryAsync(new AuditQuery()));
        Assert.True(entry.Arguments.Length < 300, entry.Arguments);
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Fact]
    public void Deeply_nested_yaml_is_refused_with_its_location_not_a_stack_overflow()
    {
        var spec = Assert.Throws<SpecException>(() => SpecLoader.Parse("agents: " + Nested(20_000), "/s/cadre.yaml"));
        var policy = Assert.Throws<SpecException>(() => ApprovalPolicyFile.Parse("rules: " + Nested(20_000), "/s/approvals.yaml"));

        Assert.Equal("/s/cadre.yaml:1:72: nested more than 64 levels deep.", spec.Message);
        Assert.StartsWith("/s/approvals.yaml:1:71: nested more than 64 levels deep.", policy.Message);
    }

    [Fact]
    public void An_oversized_yaml_file_is_refused()
    {
        var error = Assert.Throws<SpecException>(() => SpecLoader.Parse("name: " + new string('a', YamlLimits.MaxChars), "/s/cadre.yaml"));

        Assert.StartsWith("/s/cadre.yaml:1:1: the file is 1,048,582 characters long; at most 1,048,576 are read.", error.Message);
    }

    [Fact]
    public async Task Cadre_run_on_a_deeply_nested_spec_exits_2_with_the_location()
    {
        _dir.Write("cadre.yaml", "workflow: { type: sequential }\nagents: " + Nested(20_000));
        _dir.Write("approvals.yaml", "rules: " + Nested(20_000));
        _dir.Write("policy/cadre.yaml", "tools: { approvals: ../approvals.yaml }\nagents: { a: { instructions: x } }\nworkflow: { type: sequential }\nmodel: scripted:s.json");

        var spec = await CliRunner.RunAsync(_dir.Path, "run", ".", "task");
        var policy = await CliRunner.RunAsync(_dir.Path, "tools", "list", "--spec", "policy");

        Assert.Equal(2, spec.ExitCode);
        Assert.Contains("cadre.yaml:2:72: nested more than 64 levels deep.", spec.Error);
        Assert.Equal(2, policy.ExitCode);
        Assert.Contains("approvals.yaml:1:71: nested more than 64 levels deep.", policy.Error);
    }
}
