using Cadre.Tests.Support;

namespace Cadre.Tests.Security;

/// <summary>The issue's low-severity probes: each gets a clear message with the path or location and the right exit
/// code (2 when the input is at fault), and the sample's search treats its query as text.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_spec_that_is_a_symbolic_link_loop_is_invalid_with_its_path()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need privileges there
        }

        File.CreateSymbolicLink(_dir.Combine("a.yaml"), _dir.Combine("b.yaml"));
        File.CreateSymbolicLink(_dir.Combine("b.yaml"), _dir.Combine("a.yaml"));

        var result = await CliRunner.RunAsync(_dir.Path, "run", "a.yaml", "task");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {_dir.Combine("a.yaml")}: ", result.Error);
    }

    [Fact]
    public async Task An_over_long_memory_is_invalid_and_says_which_argument_and_the_limit()
    {
        var result = await CliRunner.RunAsync(_dir.Path, "memory", "add", new string('a', 40_000));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: the text argument of 'memory add' has 40,000 characters; a memory holds at most 32,000. Store a summary or split it.", result.Error.Trim());
    }

    [Fact]
    public async Task A_workspace_that_cannot_be_opened_is_reported_with_its_path()
    {
        Directory.CreateDirectory(_dir.Combine("ws", "cadre.db")); // what SQLite cannot open, as it cannot a read-only file

        var result = await CliRunner.RunAsync(_dir.Path, "memory", "add", "hello", "--workspace", "ws");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {_dir.Combine("ws", "cadre.db")} cannot be opened for writing (SQLite Error 14", result.Error);
        Assert.Contains("Check that the folder exists and is writable", result.Error);
    }

    private Task<CliRunner.Result> Search(string query) =>
        CliRunner.RunAsync(_dir.Path, "tools", "call", "search_customer", "--spec", RepoPaths.SupportDesk, "--args", $$"""{"query":"{{query}}"}""");

    [Fact]
    public async Task Search_customer_treats_like_wildcards_as_text_and_bounds_the_query()
    {
        var everyone = await Search("%");
        var underscore = await Search("_");
        var john = await Search("john");
        var longer = await Search(new string('a', 1_000));
        var huge = await Search(new string('a', 120_000));

        Assert.Equal((0, "[]"), (everyone.ExitCode, everyone.Out.Trim()));
        Assert.Equal((0, "[]"), (underscore.ExitCode, underscore.Out.Trim()));
        Assert.Contains("john@example.com", john.Out);
        Assert.NotEqual(0, longer.ExitCode);
        Assert.Contains("The query is 1000 characters long; search with at most 200", longer.Error);
        Assert.Equal(2, huge.ExitCode);
        Assert.Contains("the arguments for 'search_customer' are 120,012 bytes; at most 65,536 are accepted", huge.Error);
        Assert.DoesNotContain("SQLite", longer.Error + huge.Error, StringComparison.Ordinal);
    }
}
