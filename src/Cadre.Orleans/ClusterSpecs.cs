namespace Cadre.Orleans;

/// <summary>Finds a submitted spec by name in a silo's specs folder. The name comes from a client, so it is never
/// taken as a path: only a folder or file directly inside the specs folder can be named.</summary>
public static class ClusterSpecs
{
    /// <summary>The name a client sends for a spec given on its command line: the last part of the path
    /// (<c>samples/support-desk/</c> → <c>support-desk</c>, <c>specs/desk.yaml</c> → <c>desk.yaml</c>).</summary>
    /// <param name="spec">The spec file or folder, or already a name.</param>
    /// <returns>The last part of the path, trailing slashes ignored; a name comes back as it is.</returns>
    public static string NameOf(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Path.GetFileName(spec.TrimEnd('/', '\\'));
    }

    /// <summary>The spec a name stands for in <paramref name="folder"/>.</summary>
    /// <param name="folder">The silo's specs folder.</param>
    /// <param name="name">The spec's name (<c>support-desk</c>, <c>desk.yaml</c>, <c>desk</c> for <c>desk.yaml</c>).</param>
    /// <returns>The spec's full path.</returns>
    /// <exception cref="ArgumentException">The name is empty, is a path, or names no spec in the folder; the message
    /// lists the specs there are.</exception>
    public static string Resolve(string folder, string name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            || name is "." or ".." || Path.IsPathRooted(name))
        {
            throw new ArgumentException($"'{name}' is not a spec name: give the name of a folder or .yaml file inside the silos' specs folder.", nameof(name));
        }

        var root = Path.GetFullPath(folder);
        var candidates = new[] { Path.Combine(root, name), Path.Combine(root, name + ".yaml"), Path.Combine(root, name + ".yml") };
        foreach (var candidate in candidates)
        {
            if (Directory.Exists(candidate) ? File.Exists(Path.Combine(candidate, "cadre.yaml")) : File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new ArgumentException($"The cluster serves no spec '{name}'. Specs in {root}: {string.Join(", ", List(root).DefaultIfEmpty("none"))}.", nameof(name));
    }

    /// <summary>The names of the specs in <paramref name="folder"/>.</summary>
    /// <param name="folder">The specs folder; only its direct children are looked at.</param>
    /// <returns>Folders holding a <c>cadre.yaml</c> and <c>.yaml</c>/<c>.yml</c> files, sorted by ordinal; empty when the
    /// folder does not exist.</returns>
    public static IReadOnlyList<string> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var folders = Directory.EnumerateDirectories(folder).Where(d => File.Exists(Path.Combine(d, "cadre.yaml")));
        var files = Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml"));
        return [.. folders.Concat(files).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
    }
}
