using Cadre.Memory;
using Cadre.Workspaces;

namespace Cadre.Agents;

/// <summary>Gives agents memory: <c>agent.WithMemory(workspace.Memory.For("acme"))</c>.</summary>
public static class AgentMemoryExtensions
{
    /// <summary>Returns a copy of the agent that recalls long-term memories of the scope into its context before each
    /// model call, within a share of its context window.</summary>
    /// <param name="agent">The agent to copy; the size and counter of its context window set the memories' budget
    /// unless <paramref name="options"/> sets them.</param>
    /// <param name="memory">The memory and scope to recall from.</param>
    /// <param name="options">How many memories, how much of the window, how to weigh them.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public static Agent WithMemory(this Agent agent, ScopedMemory memory, MemoryContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return agent.WithMemory(memory.Memory.LongTerm, memory.Scope, options);
    }

    /// <summary>Returns a copy of the agent that recalls from <paramref name="memory"/> in <paramref name="scope"/>
    /// before each model call.</summary>
    /// <param name="agent">The agent to copy; the size and counter of its context window set the memories' budget
    /// unless <paramref name="options"/> sets them.</param>
    /// <param name="memory">The long-term memory recalled from at each turn; the agent only reads it.</param>
    /// <param name="scope">The scope to recall from.</param>
    /// <param name="options">How many memories, how much of the window, how to weigh them.</param>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public static Agent WithMemory(this Agent agent, LongTermMemory memory, MemoryScope scope, MemoryContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        options ??= new MemoryContextOptions();
        options = options with { Counter = options.Counter ?? agent.Window.Counter };
        return agent.WithContext(new MemoryContextProvider(memory, scope, Budget(agent, options.MaxTokens, options.Share), options));
    }

    /// <summary>Returns a copy of the agent that starts with the lessons of past episodes similar to its task, within a
    /// share of its context window.</summary>
    /// <param name="agent">The agent to copy; the size and counter of its context window set the lessons'
    /// budget.</param>
    /// <param name="memory">The memory and scope the episodes are in.</param>
    /// <param name="share">The share of the context window the lessons may take (default 0.05).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="share"/> is not between 0 and 1.</exception>
    /// <returns>A copy with the change; the original is left as it was.</returns>
    public static Agent WithLessons(this Agent agent, ScopedMemory memory, double share = 0.05)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(memory);
        return agent.WithContext(new LessonsContextProvider(memory.Memory.Episodes, memory.Scope, Budget(agent, null, share), agent.Window.Counter));
    }

    private static int Budget(Agent agent, int? maxTokens, double share)
    {
        if (maxTokens is { } max)
        {
            return max;
        }

        if (double.IsNaN(share) || share is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share of the context window is a fraction between 0 and 1.");
        }

        return Math.Max(1, (int)(agent.Window.MaxTokens * share));
    }
}
