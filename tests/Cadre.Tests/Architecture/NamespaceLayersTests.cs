using System.Text.RegularExpressions;
using Cadre.Tests.Support;

namespace Cadre.Tests.Architecture;

/// <summary>The namespaces of Cadre and Cadre.Abstractions depend only downwards, in the order docs/architecture.md
/// gives: a type may name types of its own layer and of the layers below it, never of one above. The dependencies are
/// read from the sources: a type named in code (not in comments or strings) whose namespace the file imports, that
/// encloses the file's own, or that the code spells out in full.</summary>
public sealed partial class NamespaceLayersTests
{
    /// <summary>Lowest first; the same list as docs/architecture.md.</summary>
    private static readonly string[] Layers =
    [
        "Cadre.Security",
        "Cadre.Observability",
        "Cadre.Resilience",
        "Cadre.Conversations",
        "Cadre.Memory",
        "Cadre.Memory.Knowledge",
        "Cadre.Memory.Shared",
        "Cadre.Memory.Episodes",
        "Cadre.Tools",
        "Cadre.Tools.Mcp",
        "Cadre.Tools.Chains",
        "Cadre.Runs",
        "Cadre.Workspaces",
        "Cadre.Agents",
        "Cadre.Workflows",
        "Cadre.Models",
        "Cadre.Specs",
    ];

    /// <summary>Upward dependencies that are still there (docs/architecture.md says why). A new one fails the test;
    /// so does one of these once it is gone, so that the list only shrinks.</summary>
    private static readonly HashSet<string> KnownUpward = [];

    private static readonly Lazy<SourceGraph> Graph = new(() => SourceGraph.Read(
        Path.Combine(RepoPaths.Root, "src", "Cadre"), Path.Combine(RepoPaths.Root, "src", "Cadre.Abstractions")));

    [Fact]
    public void Every_namespace_has_a_layer()
    {
        var unplaced = Graph.Value.Namespaces.Except(Layers).Order().ToList();

        Assert.True(unplaced.Count == 0,
            $"Give these namespaces a layer in docs/architecture.md and in {nameof(NamespaceLayersTests)}.{nameof(Layers)}: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void No_namespace_depends_on_one_above_it_beyond_the_known_ones()
    {
        var added = Upward(Graph.Value).Where(e => !KnownUpward.Contains(e.Key)).Select(Describe).ToList();

        Assert.True(added.Count == 0,
            "These namespaces now depend on one above them (move the type down, or pass the value in):\n" + string.Join("\n", added));
    }

    [Fact]
    public void Every_known_upward_dependency_is_still_there()
    {
        var gone = KnownUpward.Except(Upward(Graph.Value).Keys).Order().ToList();

        Assert.True(gone.Count == 0,
            $"These are fixed; remove them from {nameof(KnownUpward)} and docs/architecture.md: {string.Join(", ", gone)}");
    }

    [Fact]
    public void The_reading_sees_real_dependencies_and_where_they_come_from()
    {
        var edges = Graph.Value.Edges;

        // Workflows run agents: the plainest downward dependency is seen, with the file and the type that make it.
        Assert.Contains(("src/Cadre/Workflows/Workflow.cs", "Agent"), edges[("Cadre.Workflows", "Cadre.Agents")]);
        // The summarising reducer reads the ambient CallerContext in code.
        Assert.Contains(("src/Cadre/Conversations/SummarizingReducer.cs", "CallerContext"), edges[("Cadre.Conversations", "Cadre.Observability")]);
        // IToolInvoker's doc comment names Agents.Agent, which is no dependency: Tools does not depend on Agents.
        Assert.DoesNotContain(("Cadre.Tools", "Cadre.Agents"), edges.Keys);
    }

    /// <summary>"From -> To" for each dependency on a higher layer, with the files and types that make it.</summary>
    private static Dictionary<string, SortedSet<(string File, string Type)>> Upward(SourceGraph graph)
    {
        var rank = Layers.Select((name, index) => (name, index)).ToDictionary(x => x.name, x => x.index);
        return graph.Edges
            .Where(e => rank.TryGetValue(e.Key.From, out var from) && rank.TryGetValue(e.Key.To, out var to) && to > from)
            .ToDictionary(e => $"{e.Key.From} -> {e.Key.To}", e => e.Value);
    }

    private static string Describe(KeyValuePair<string, SortedSet<(string File, string Type)>> edge) =>
        $"  {edge.Key}: " + string.Join("; ", edge.Value.Select(x => $"{x.File} names {x.Type}"));

    private sealed class SourceGraph
    {
        public required IReadOnlySet<string> Namespaces { get; init; }

        /// <summary>Each dependency between two namespaces, with the files and the types that make it.</summary>
        public required Dictionary<(string From, string To), SortedSet<(string File, string Type)>> Edges { get; init; }

        public static SourceGraph Read(params string[] directories)
        {
            var files = directories
                .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                            && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(f => SourceFile.Read(f, Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/')))
                .Where(f => f.Namespace.Length > 0)
                .ToList();
            var types = files.GroupBy(f => f.Namespace)
                .ToDictionary(g => g.Key, g => g.SelectMany(f => f.Declared).ToHashSet(StringComparer.Ordinal));

            var edges = new Dictionary<(string From, string To), SortedSet<(string File, string Type)>>();
            foreach (var file in files)
            {
                foreach (var (target, type) in file.Uses(types))
                {
                    if (!edges.TryGetValue((file.Namespace, target), out var evidence))
                    {
                        edges[(file.Namespace, target)] = evidence = [];
                    }

                    evidence.Add((file.Path, type));
                }
            }

            return new SourceGraph { Namespaces = types.Keys.ToHashSet(), Edges = edges };
        }
    }

    private sealed record SourceFile(string Path, string Namespace, IReadOnlyList<string> Imports, IReadOnlySet<string> Identifiers,
        IReadOnlyList<string> Qualified, IReadOnlyList<string> Declared)
    {
        public static SourceFile Read(string file, string path)
        {
            var text = File.ReadAllText(file);
            var code = Strings().Replace(Comments().Replace(text, " "), "\"\"");
            var ns = NamespaceLine().Match(code) is { Success: true } m ? m.Groups[1].Value : "";
            var imports = UsingLine().Matches(code).Select(u => u.Groups[1].Value).ToList();
            var body = UsingOrNamespaceLine().Replace(code, "");
            return new SourceFile(path, ns, imports,
                Identifier().Matches(body).Select(x => x.Value).ToHashSet(StringComparer.Ordinal),
                QualifiedName().Matches(body).Select(x => x.Value).ToList(),
                Declaration().Matches(code).Select(x => x.Groups[1].Value).ToList());
        }

        /// <summary>The other namespaces this file names types of, and the types.</summary>
        public IEnumerable<(string Namespace, string Type)> Uses(IReadOnlyDictionary<string, HashSet<string>> types)
        {
            var own = types[Namespace];
            var visible = Imports.ToHashSet();
            var parts = Namespace.Split('.');
            for (var i = 1; i < parts.Length; i++)
            {
                visible.Add(string.Join('.', parts[..i]));
            }

            foreach (var other in visible.Where(v => v != Namespace && types.ContainsKey(v)))
            {
                foreach (var type in Identifiers.Where(id => types[other].Contains(id) && !own.Contains(id)))
                {
                    yield return (other, type);
                }
            }

            foreach (var chain in Qualified)
            {
                var segments = chain.Split('.');
                for (var i = 2; i < segments.Length; i++)
                {
                    var other = string.Join('.', segments[..i]);
                    if (other != Namespace && types.TryGetValue(other, out var declared) && declared.Contains(segments[i]))
                    {
                        yield return (other, segments[i]);
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"@?\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using\s+(?:static\s+)?(Cadre[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^(?:using|namespace)\b[^\n]*", RegexOptions.Multiline)]
    private static partial Regex UsingOrNamespaceLine();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\bCadre(?:\.\w+)+")]
    private static partial Regex QualifiedName();

    /// <summary>A top-level type (file-scoped namespaces leave them unindented).</summary>
    [GeneratedRegex(@"^(?:(?:public|internal|static|sealed|abstract|partial|readonly|file|ref)\s+)*(?:class|record(?:\s+struct|\s+class)?|struct|interface|enum|delegate\s+[\w<>\[\],?. ]+?)\s+([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();
}
