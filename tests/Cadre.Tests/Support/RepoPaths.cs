namespace Cadre.Tests.Support;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SupportDesk => Path.Combine(Root, "samples", "support-desk");

    /// <summary>The test MCP server's assembly, built with the same configuration as the tests.</summary>
    public static string McpTestServer => Path.Combine(Root, "tests", "Cadre.McpTestServer", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Cadre.McpTestServer.dll");

    public const string SupportDeskTask = "john@example.com was charged twice for INV-1001";

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cadre.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Cadre.slnx).");
    }
}
