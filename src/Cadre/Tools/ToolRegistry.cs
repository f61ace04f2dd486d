using System.Collections;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// The tools a system knows, each an <see cref="AIFunction"/> with a <see cref="ToolDescriptor"/>. Tools can be
/// added and removed while agents run; lookups, discovery by category, tag and text, and schema export read an
/// immutable snapshot, so they never block and never see a half-made change. Thread-safe.
/// </summary>
public sealed class ToolRegistry : IEnumerable<AIFunction>
{
    private readonly Lock _gate = new();
    private Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Raised after tools were added or removed.</summary>
    public event EventHandler? Changed;

    /// <summary>The tools, in the order they were added.</summary>
    public IReadOnlyList<AIFunction> Tools => _snapshot.Tools;

    /// <summary>How many tools are registered.</summary>
    public int Count => _snapshot.Tools.Length;

    /// <summary>The categories in use, sorted.</summary>
    public IReadOnlyList<string> Categories => [.. _snapshot.Tools.Select(t => ToolDescriptor.Of(t).Category).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Adds a tool, describing it with <paramref name="describe"/> (starting from the descriptor it already
    /// has).</summary>
    /// <param name="function">The function; the registry keeps it with the descriptor attached (<see cref="ToolDescriptor.Attach"/>), which may be a wrapper rather than this instance.</param>
    /// <param name="describe">Sets its category, side effects, approval, limits...</param>
    /// <returns>The same registry, for chaining.</returns>
    /// <exception cref="ArgumentException">A tool with the same name is registered, or the description is
    /// inconsistent.</exception>
    public ToolRegistry Add(AIFunction function, Action<ToolDescriptorBuilder>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var builder = new ToolDescriptorBuilder(ToolDescriptor.Of(function));
        describe?.Invoke(builder);
        return Add(function, builder.Descriptor);
    }

    /// <summary>Adds a tool with a descriptor.</summary>
    /// <param name="function">The function; the registry keeps it with the descriptor attached (<see cref="ToolDescriptor.Attach"/>), which may be a wrapper rather than this instance.</param>
    /// <param name="descriptor">How Cadre treats it.</param>
    /// <returns>The same registry, for chaining.</returns>
    /// <exception cref="ArgumentException">A tool with the same name is registered, or the descriptor is
    /// inconsistent.</exception>
    public ToolRegistry Add(AIFunction function, ToolDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(descriptor);
        var described = descriptor.Attach(function);
        Change(s => s.Find(described.Name) is null
            ? s.With(described)
            : throw new ArgumentException($"A tool named '{described.Name}' is already registered; remove it first or give the new one another name.", nameof(function)));
        return this;
    }

    /// <summary>Adds tools that carry their descriptors already (from <see cref="ToolAssembly"/>, MCP, ...).</summary>
    /// <param name="functions">The functions, added together or not at all; those already described are kept as they are, the others get their default descriptor.</param>
    /// <returns>The same registry, for chaining.</returns>
    /// <exception cref="ArgumentException">A name is taken; nothing is added then.</exception>
    public ToolRegistry AddRange(IEnumerable<AIFunction> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        // Tools described already are kept as they are, so a tool is the same instance wherever it is used.
        var list = functions.Select(f => f.GetService<DescribedTool>() is not null ? f : ToolDescriptor.Of(f).Attach(f)).ToList();
        var duplicate = list.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two tools are named '{duplicate.Key}'.", nameof(functions));
        }

        Change(s => list.FirstOrDefault(f => s.Find(f.Name) is not null) is { } taken
            ? throw new ArgumentException($"A tool named '{taken.Name}' is already registered.", nameof(functions))
            : s.With(list));
        return this;
    }

    /// <summary>Removes a tool, so that lookups, discovery and schema export no longer see it; raises <see cref="Changed"/> when it was there.</summary>
    /// <param name="name">The tool's name, matched case-sensitively.</param>
    /// <returns>True when it was registered.</returns>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var removed = false;
        Change(s =>
        {
            removed = s.Find(name) is not null;
            return removed ? s.Without(name) : s;
        });
        return removed;
    }

    /// <summary>Finds a tool by name.</summary>
    /// <param name="name">The tool's name, matched case-sensitively.</param>
    /// <returns>The tool, or null.</returns>
    public AIFunction? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _snapshot.Find(name);
    }

    /// <summary>The tools of a category.</summary>
    /// <param name="category">The category, matched case-sensitively.</param>
    /// <returns>A snapshot of the matching tools in the order they were added; empty when none.</returns>
    public IReadOnlyList<AIFunction> InCategory(string category) =>
        [.. _snapshot.Tools.Where(t => string.Equals(ToolDescriptor.Of(t).Category, category, StringComparison.Ordinal))];

    /// <summary>The tools with a tag (case-insensitive).</summary>
    /// <param name="tag">The tag, matched ignoring case.</param>
    /// <returns>A snapshot of the matching tools in the order they were added; empty when none.</returns>
    public IReadOnlyList<AIFunction> Tagged(string tag) =>
        [.. _snapshot.Tools.Where(t => ToolDescriptor.Of(t).Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))];

    /// <summary>Resolves grants: each entry is a tool name, a category, or <c>*</c> for every tool.</summary>
    /// <param name="namesOrCategories">Grant entries: tool names, categories (both case-sensitive) or <c>*</c>.</param>
    /// <returns>The tools, without duplicates, in registry order.</returns>
    /// <exception cref="ArgumentException">An entry names neither a tool nor a category; the message lists both.</exception>
    public IReadOnlyList<AIFunction> Select(params IEnumerable<string> namesOrCategories)
    {
        ArgumentNullException.ThrowIfNull(namesOrCategories);
        var snapshot = _snapshot;
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in namesOrCategories)
        {
            var matches = snapshot.Tools.Where(t => ToolGrant.Matches(entry, t)).ToList();
            if (matches.Count == 0)
            {
                throw new ArgumentException($"'{entry}' is neither a tool nor a category. {Describe(snapshot.Tools)}", nameof(namesOrCategories));
            }

            chosen.UnionWith(matches.Select(m => m.Name));
        }

        return [.. snapshot.Tools.Where(t => chosen.Contains(t.Name))];
    }

    /// <summary>Ranked text search over names, descriptions, categories, tags and parameter names: every word of
    /// <paramref name="text"/> that a tool mentions adds to its score, rarer words and name matches count more,
    /// and a word that starts a tool's word counts half.</summary>
    /// <param name="text">What the caller is looking for ("refund a charge").</param>
    /// <param name="limit">The most tools to return.</param>
    /// <param name="within">Only tools this filter accepts, when given.</param>
    /// <returns>The matching tools, best first.</returns>
    public IReadOnlyList<ToolMatch> Search(string text, int limit = 10, Func<AIFunction, bool>? within = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var snapshot = _snapshot;
        return snapshot.Index.Rank(text, within).Take(limit).ToList();
    }

    /// <summary>Tools that can stand in for <paramref name="tool"/>: other registered tools with the same
    /// <see cref="ToolDescriptor.Capability"/>.</summary>
    /// <param name="tool">The tool whose capability is looked up; never among its own alternatives.</param>
    /// <returns>The alternatives, in registry order.</returns>
    public IReadOnlyList<AIFunction> AlternativesTo(AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var capability = ToolDescriptor.Of(tool).Capability;
        return capability is null
            ? []
            : [.. _snapshot.Tools.Where(t => t.Name != tool.Name && string.Equals(ToolDescriptor.Of(t).Capability, capability, StringComparison.Ordinal))];
    }

    /// <summary>A tool that lets the model find registered tools it was not shown (by text, category or tag). Found
    /// tools are offered to the model for the rest of its turn. Giving an agent this tool lets it use the registry's
    /// tools, unless the agent has grants (<see cref="ToolPermissions"/>): then it finds only what they allow.</summary>
    /// <param name="name">The name the model calls the discovery tool by.</param>
    /// <param name="limit">The most tools one search returns.</param>
    /// <returns>A new function over this registry; tools added later are found too.</returns>
    public AIFunction CreateDiscoveryTool(string name = ToolDiscovery.DefaultName, int limit = 8) => new ToolDiscovery(this, name, limit);

    /// <inheritdoc />
    public IEnumerator<AIFunction> GetEnumerator() => ((IEnumerable<AIFunction>)_snapshot.Tools).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static string Describe(IReadOnlyList<AIFunction> tools)
    {
        if (tools.Count == 0)
        {
            return "No tools are registered.";
        }

        var categories = tools.Select(t => ToolDescriptor.Of(t).Category).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return $"Tools: {string.Join(", ", tools.Select(t => t.Name))}" + (categories.Count == 0 ? "." : $"; categories: {string.Join(", ", categories)}.");
    }

    private void Change(Func<Snapshot, Snapshot> change)
    {
        lock (_gate)
        {
            var next = change(_snapshot);
            if (ReferenceEquals(next, _snapshot))
            {
                return;
            }

            _snapshot = next;
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);
        private readonly Dictionary<string, AIFunction> _byName;
        private ToolSearch? _index;

        private Snapshot(AIFunction[] tools)
        {
            Tools = tools;
            _byName = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        }

        public AIFunction[] Tools { get; }

        // Built on the first search of a snapshot: registering many tools in a row costs no indexing.
        public ToolSearch Index => LazyInitializer.EnsureInitialized(ref _index, () => new ToolSearch(Tools));

        public AIFunction? Find(string name) => _byName.GetValueOrDefault(name);

        public Snapshot With(AIFunction tool) => new([.. Tools, tool]);

        public Snapshot With(IEnumerable<AIFunction> tools) => new([.. Tools, .. tools]);

        public Snapshot Without(string name) => new([.. Tools.Where(t => t.Name != name)]);
    }
}
