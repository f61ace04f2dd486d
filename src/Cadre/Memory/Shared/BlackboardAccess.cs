namespace Cadre.Memory.Shared;

/// <summary>
/// Who may read and write which blackboard namespace. By default an agent may read and write its own private namespace
/// (<c>agent:&lt;name&gt;</c>), the namespaces of its teams (<c>team:&lt;team&gt;</c>) and <c>shared</c>, and nothing
/// else; operators may do everything. Rules add to or take from that: a matching deny wins over a matching allow,
/// which wins over the defaults. Immutable: <see cref="Allow"/> and <see cref="Deny"/> return a changed copy.
/// </summary>
public sealed class BlackboardAccess
{
    private readonly IReadOnlyList<Rule> _rules;

    private BlackboardAccess(IReadOnlyList<Rule> rules)
    {
        _rules = rules;
    }

    /// <summary>The default rules only.</summary>
    public static BlackboardAccess Default { get; } = new([]);

    /// <summary>Allows an actor (or <c>*</c>, anyone) something in a namespace (exact, or a prefix ending in
    /// <c>*</c>).</summary>
    /// <param name="actor">An agent's name or <c>*</c>.</param>
    /// <param name="namespace">A namespace or prefix pattern (<c>team:*</c>).</param>
    /// <param name="permission">What is allowed; a rule applies to a request only when it covers every permission asked.</param>
    public BlackboardAccess Allow(string actor, string @namespace, BlackboardPermission permission) => With(actor, @namespace, permission, allow: true);

    /// <summary>Denies an actor (or <c>*</c>) something in a namespace, even where a default or an allow rule would
    /// allow it.</summary>
    /// <param name="actor">An agent's name or <c>*</c>.</param>
    /// <param name="namespace">A namespace or prefix pattern.</param>
    /// <param name="permission">What is denied; a deny of <see cref="BlackboardPermission.Write"/> leaves reading as it was.</param>
    public BlackboardAccess Deny(string actor, string @namespace, BlackboardPermission permission) => With(actor, @namespace, permission, allow: false);

    /// <summary>Decides whether <paramref name="actor"/> may do <paramref name="permission"/> in
    /// <paramref name="namespace"/>.</summary>
    /// <param name="actor">The agent or operator asking; operators are always allowed.</param>
    /// <param name="namespace">The namespace asked for, compared exactly (rules may use a <c>*</c> prefix pattern).</param>
    /// <param name="permission"><see cref="BlackboardPermission.Read"/> or <see cref="BlackboardPermission.Write"/>;
    /// <see cref="BlackboardPermission.ReadWrite"/> asks for both.</param>
    /// <param name="reason">Why not, when it is not allowed.</param>
    /// <returns>True when allowed: an operator, or a matching allow or default and no matching deny.</returns>
    public bool Allows(BlackboardActor actor, string @namespace, BlackboardPermission permission, out string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(@namespace);
        reason = "";
        if (actor.IsOperator)
        {
            return true;
        }

        var matching = _rules.Where(r => r.Matches(actor.Name, @namespace, permission)).ToList();
        if (matching.FirstOrDefault(r => !r.Allow) is { } deny)
        {
            reason = $"a rule denies {(deny.Actor == "*" ? "everyone" : deny.Actor)} {permission.ToString().ToLowerInvariant()} access to {deny.Namespace}";
            return false;
        }

        if (matching.Count > 0 || AllowedByDefault(actor, @namespace))
        {
            return true;
        }

        reason = @namespace.StartsWith(BlackboardNamespaces.AgentPrefix, StringComparison.Ordinal)
            ? $"it is {@namespace[BlackboardNamespaces.AgentPrefix.Length..]}'s private namespace"
            : @namespace.StartsWith(BlackboardNamespaces.TeamPrefix, StringComparison.Ordinal)
                ? $"{actor.Name} is not in team {@namespace[BlackboardNamespaces.TeamPrefix.Length..]}"
                : "no rule allows it";
        return false;
    }

    private static bool AllowedByDefault(BlackboardActor actor, string @namespace) =>
        @namespace == BlackboardNamespaces.Shared ||
        @namespace == BlackboardNamespaces.Private(actor.Name) ||
        actor.Teams.Any(t => @namespace == BlackboardNamespaces.Team(t));

    private BlackboardAccess With(string actor, string @namespace, BlackboardPermission permission, bool allow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        return new BlackboardAccess([.. _rules, new Rule(actor, @namespace, permission, allow)]);
    }

    private sealed record Rule(string Actor, string Namespace, BlackboardPermission Permission, bool Allow)
    {
        public bool Matches(string actor, string @namespace, BlackboardPermission permission) =>
            (Actor == "*" || Actor == actor) &&
            (Namespace.EndsWith('*') ? @namespace.StartsWith(Namespace[..^1], StringComparison.Ordinal) : Namespace == @namespace) &&
            (Permission & permission) == permission;
    }
}
