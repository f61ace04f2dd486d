namespace Cadre.Memory.Shared;

/// <summary>The blackboard's namespaces: each agent's private one (<c>agent:&lt;name&gt;</c>), one per team
/// (<c>team:&lt;name&gt;</c>) and the shared one (<c>shared</c>). Other names are allowed and need access rules.</summary>
public static class BlackboardNamespaces
{
    /// <summary>The namespace every agent may read and write by default.</summary>
    public const string Shared = "shared";

    /// <summary>The prefix of agents' private namespaces.</summary>
    public const string AgentPrefix = "agent:";

    /// <summary>The prefix of team namespaces.</summary>
    public const string TeamPrefix = "team:";

    /// <summary>An agent's private namespace (<c>agent:&lt;agent&gt;</c>), which by default only that agent (and
    /// operators) may read and write.</summary>
    public static string Private(string agent) => AgentPrefix + agent;

    /// <summary>A team's namespace (<c>team:&lt;team&gt;</c>), which its members may read and write by
    /// default.</summary>
    public static string Team(string team) => TeamPrefix + team;

    /// <summary>Checks a namespace or key name: 1 to 256 characters, no control characters.</summary>
    /// <param name="name">The namespace or key to check.</param>
    /// <param name="what">"namespace" or "key", for the message.</param>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static string Check(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 256 || name.Any(char.IsControl))
        {
            throw new ArgumentException($"A blackboard {what} is 1 to 256 characters without control characters; '{name}' is not.", what);
        }

        return name;
    }
}
