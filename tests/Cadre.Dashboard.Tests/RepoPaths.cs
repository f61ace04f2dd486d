namespace Cadre.Dashboard.Tests;

public static class RepoPaths
{
    public const string SupportDeskTask = "john@example.com was charged twice for INV-1001";

    public static string Root { get; } = FindRoot();

    public static string SupportDesk => Path.Combine(Root, "samples", "support-desk");

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
