using System.Text;

namespace Cadre.Memory;

/// <summary>
/// Where a memory lives and what a reader may see: a tenant, optionally a team within it, optionally an agent
/// (within the team, or directly under the tenant). Written as a path: <c>acme</c>, <c>acme/support</c>,
/// <c>acme/support/billing</c>, or <c>acme//billing</c> for an agent outside any team.
/// </summary>
/// <remarks>
/// Every read and write names a scope. A memory is written at exactly its scope; a reader at scope S sees the memories
/// on S's own line: S itself, the scopes above it (its team's and its tenant's shared memories) and the scopes below it
/// (a team lead sees its agents' memories; a tenant administrator sees the whole tenant). Sibling agents and teams do
/// not see each other's memories, and no scope ever sees another tenant's.
/// </remarks>
public sealed record MemoryScope
{
    /// <summary>The tenant used when none is given: <c>default</c>.</summary>
    public const string DefaultTenant = "default";

    /// <summary>Creates a scope from its parts; <see cref="Parse"/> reads one written as a path.</summary>
    /// <param name="tenant">The tenant; not empty.</param>
    /// <param name="team">The team within the tenant, if any.</param>
    /// <param name="agent">The agent, if any.</param>
    /// <exception cref="ArgumentException">A part is empty where required or holds characters other than letters,
    /// digits and <c>- _ . @ :</c>.</exception>
    public MemoryScope(string tenant, string? team = null, string? agent = null)
    {
        Tenant = Check(tenant, nameof(tenant), required: true);
        Team = Check(team, nameof(team), required: false);
        Agent = Check(agent, nameof(agent), required: false);
    }

    /// <summary>The whole <c>default</c> tenant: the scope used when none is given.</summary>
    public static MemoryScope Default { get; } = new(DefaultTenant);

    /// <summary>The tenant whose memories these are; no scope sees another tenant's.</summary>
    public string Tenant { get; }

    /// <summary>The team ("" when the scope is not a team's or a team agent's).</summary>
    public string Team { get; }

    /// <summary>The agent ("" when the scope is not an agent's).</summary>
    public string Agent { get; }

    /// <summary>True for a tenant-wide scope (no team, no agent).</summary>
    public bool IsTenant => Team.Length == 0 && Agent.Length == 0;

    /// <summary>Parses a scope path: <c>tenant</c>, <c>tenant/team</c>, <c>tenant/team/agent</c> or
    /// <c>tenant//agent</c>.</summary>
    /// <exception cref="FormatException">The path is empty, has more than three parts or bad characters.</exception>
    public static MemoryScope Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Trim().Split('/');
        const string How = "write tenant, tenant/team, tenant/team/agent or tenant//agent";
        if (parts.Length > 3 || parts[0].Length == 0)
        {
            throw new FormatException($"'{path}' is not a memory scope; {How}.");
        }

        var problem = Problem(parts[0], "tenant", required: true)
            ?? (parts.Length > 1 ? Problem(parts[1], "team", required: false) : null)
            ?? (parts.Length > 2 ? Problem(parts[2], "agent", required: false) : null);
        return problem is null
            ? new MemoryScope(parts[0], parts.Length > 1 ? parts[1] : null, parts.Length > 2 ? parts[2] : null)
            : throw new FormatException($"'{path}' is not a memory scope: {problem}; {How}.");
    }

    /// <summary>The scope of a team of this tenant.</summary>
    public MemoryScope ForTeam(string team) => new(Tenant, team);

    /// <summary>The scope of an agent under this scope (within its team, if it has one).</summary>
    public MemoryScope ForAgent(string agent) => new(Tenant, Team, agent);

    /// <summary>True when a reader at this scope sees a memory stored at <paramref name="stored"/>: the same tenant,
    /// and one scope is on the other's line (itself, above or below it). The relation is symmetric.</summary>
    /// <param name="stored">Where the memory is stored.</param>
    /// <returns>Whether it is visible.</returns>
    public bool Sees(MemoryScope stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!string.Equals(Tenant, stored.Tenant, StringComparison.Ordinal))
        {
            return false;
        }

        if (IsTenant || stored.IsTenant)
        {
            return true;
        }

        return string.Equals(Team, stored.Team, StringComparison.Ordinal) &&
               (Agent.Length == 0 || stored.Agent.Length == 0 || string.Equals(Agent, stored.Agent, StringComparison.Ordinal));
    }

    /// <summary>The scope as a path (<c>acme/support/billing</c>).</summary>
    public override string ToString()
    {
        var path = new StringBuilder(Tenant);
        if (Team.Length > 0 || Agent.Length > 0)
        {
            path.Append('/').Append(Team);
        }

        if (Agent.Length > 0)
        {
            path.Append('/').Append(Agent);
        }

        return path.ToString();
    }

    private static string Check(string? part, string name, bool required) =>
        Problem(part, name, required) is { } problem ? throw new ArgumentException(problem + ".", name) : part ?? "";

    private static string? Problem(string? part, string name, bool required)
    {
        if (string.IsNullOrEmpty(part))
        {
            return required ? $"the {name} of a memory scope may not be empty" : null;
        }

        return part.Length > 128 || !part.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or ':')
            ? $"the {name} '{part}' may only hold letters, digits and - _ . @ : (at most 128 characters)"
            : null;
    }
}
