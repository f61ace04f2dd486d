using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// Which agents may call which tools: grants per agent, each a tool name, a category or <c>*</c>. An agent with no
/// grants may call exactly the tools it was given (<see cref="Agents.Agent.Tools"/>, plus those a discovery tool
/// offered it). Thread-safe; grants can change while agents run.
/// </summary>
public sealed class ToolPermissions
{
    private readonly ConcurrentDictionary<string, string[]> _grants = new(StringComparer.Ordinal);

    /// <summary>Grants tools to an agent (added to what it was granted before).</summary>
    /// <param name="agent">The agent's name, compared case-sensitively; must not be empty or white space.</param>
    /// <param name="namesOrCategories">Tool names, categories, or <c>*</c>.</param>
    /// <returns>The same permissions, changed in place, for chaining.</returns>
    public ToolPermissions Grant(string agent, params IEnumerable<string> namesOrCategories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        ArgumentNullException.ThrowIfNull(namesOrCategories);
        var entries = namesOrCategories.ToArray();
        _grants.AddOrUpdate(agent, entries, (_, old) => [.. old.Concat(entries).Distinct(StringComparer.Ordinal)]);
        return this;
    }

    /// <summary>Takes every grant from an agent (it may then call only the tools it is given).</summary>
    /// <param name="agent">The agent's name, compared case-sensitively; an agent with no grants is left as it is.</param>
    /// <returns>The same permissions, changed in place, for chaining.</returns>
    public ToolPermissions Revoke(string agent)
    {
        _grants.TryRemove(agent, out _);
        return this;
    }

    /// <summary>The grants of an agent, or null when it has none (it may call what it is given).</summary>
    /// <param name="agent">The agent's name, compared case-sensitively.</param>
    /// <returns>Its entries (tool names, categories, <c>*</c>) in the order granted; null when it has none.</returns>
    public IReadOnlyList<string>? GrantsOf(string agent) => _grants.TryGetValue(agent, out var entries) ? entries : null;

    /// <summary>True when <paramref name="agent"/> may call <paramref name="tool"/>.</summary>
    /// <param name="agent">The agent's name, compared case-sensitively.</param>
    /// <param name="tool">The tool called; matched against grants by name and category (<see cref="ToolGrant.Matches"/>).</param>
    /// <param name="given">The tools the agent was given for the turn.</param>
    /// <returns>Whether the call is permitted.</returns>
    public bool Allows(string agent, AIFunction tool, IReadOnlyList<AIFunction> given)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(given);
        if (_grants.TryGetValue(agent, out var entries))
        {
            foreach (var entry in entries)
            {
                if (ToolGrant.Matches(entry, tool))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var function in given)
        {
            if (ReferenceEquals(function, tool) || function.Name == tool.Name)
            {
                return true;
            }
        }

        return false;
    }
}
