using System.Diagnostics;
using System.Xml.Linq;

namespace Cadre.Hosting;

/// <summary>
/// Builds a spec's C# tool project (<c>tools: { project: ... }</c>) so its assembly can be loaded, like <c>dotnet
/// run</c> does for a program: only when the assembly is missing or older than the project's sources, into
/// <c>bin/cadre/</c> next to the project, one build at a time across processes.
/// </summary>
public static class ToolProjectBuilder
{
    /// <summary>Builds the project if needed and returns its assembly.</summary>
    /// <param name="project">The <c>.csproj</c> file (a relative path starts from the process's current folder); its folder holds the sources compared by time.</param>
    /// <param name="log">Receives a line when a build starts.</param>
    /// <param name="getEnvironmentVariable">Reads the environment (to find the dotnet host).</param>
    /// <param name="cancellationToken">Stops waiting for another process's build or for <c>dotnet build</c>; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The built assembly's path.</returns>
    /// <exception cref="UsageException">The project does not exist or does not build (the compiler's errors are in the message).</exception>
    public static async Task<string> BuildAsync(string project, Action<string> log, Func<string, string?> getEnvironmentVariable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!File.Exists(project))
        {
            throw new UsageException($"The tools project '{project}' does not exist.");
        }

        var directory = Path.GetDirectoryName(project)!;
        var output = Path.Combine(directory, "bin", "cadre");
        var assembly = Path.Combine(output, AssemblyName(project) + ".dll");
        if (IsFresh(assembly, directory))
        {
            return assembly;
        }

        Directory.CreateDirectory(output);
        await using var gate = await AcquireAsync(Path.Combine(output, ".build.lock"), cancellationToken);
        if (IsFresh(assembly, directory))
        {
            return assembly; // another process built it while we waited
        }

        log($"building tools {Path.GetFileName(project)} ...");
        var dotnet = getEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { "build", project, "-c", "Release", "-o", output, "--nologo", "-v", "q", "-clp:ErrorsOnly" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new UsageException($"Could not start '{dotnet}' to build {project}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(assembly))
        {
            var errors = ((await stdout) + (await stderr)).Trim();
            throw new UsageException($"The tools project {project} does not build:{Environment.NewLine}{errors}");
        }

        return assembly;
    }

    private static string AssemblyName(string project)
    {
        try
        {
            var name = XDocument.Load(project).Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value;
            return string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(project) : name.Trim();
        }
        catch (System.Xml.XmlException ex)
        {
            throw new UsageException($"The tools project {project} is not valid XML: {ex.Message}", ex);
        }
    }

    private static bool IsFresh(string assembly, string directory)
    {
        if (!File.Exists(assembly))
        {
            return false;
        }

        var built = File.GetLastWriteTimeUtc(assembly);
        var sources = Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return sources.All(f => File.GetLastWriteTimeUtc(f) <= built);
    }

    private static async Task<FileStream> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
