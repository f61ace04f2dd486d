namespace Cadre.Memory.Shared;

/// <summary>Who reads or writes a blackboard: an agent (with the teams it belongs to) or an operator (a person or the
/// host, who may do everything).</summary>
/// <param name="Name">The agent's or operator's name (recorded in the audit trail).</param>
/// <param name="Teams">The teams the agent belongs to.</param>
/// <param name="IsOperator">True for an operator, whom access rules do not limit.</param>
public sealed record BlackboardActor(string Name, IReadOnlyList<string> Teams, bool IsOperator = false)
{
    /// <summary>An agent acting under the access rules: by default its own namespace, its teams' namespaces and
    /// <c>shared</c>.</summary>
    public static BlackboardActor Agent(string name, params IReadOnlyList<string> teams) => new(name, teams);

    /// <summary>An operator (the command line, the host).</summary>
    public static BlackboardActor Operator(string name = "operator") => new(name, [], IsOperator: true);
}
