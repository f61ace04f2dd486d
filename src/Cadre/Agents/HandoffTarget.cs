namespace Cadre.Agents;

/// <summary>An agent the current agent may hand the thread to, with what it is for (shown to the model).</summary>
/// <param name="Name">The name of an agent of the workflow, offered to the model as a value of the handoff tool's
/// <c>to</c> argument.</param>
/// <param name="Description">What the agent handles.</param>
public sealed record HandoffTarget(string Name, string Description);
