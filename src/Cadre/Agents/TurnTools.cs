using Microsoft.Extensions.AI;

namespace Cadre.Agents;

/// <summary>The tools of one agent turn: the agent's own (and the handoff tool, when the turn may hand off), and those a
/// discovery tool offers during the turn. Until something is offered the agent's own list serves as it is, so a turn
/// copies nothing.</summary>
internal sealed class TurnTools
{
    private readonly IReadOnlyList<AIFunction> _tools;
    private readonly AITool? _handoff;
    private Offered? _offered;
    private Action<AIFunction>? _offer;

    /// <summary>Starts with the agent's tools and the handoff tool, if any.</summary>
    public TurnTools(IReadOnlyList<AIFunction> tools, AITool? handoff)
    {
        _tools = tools;
        _handoff = handoff;
    }

    /// <summary>What the tool calls of a round may call (the handoff tool is not called, it is read).</summary>
    public IReadOnlyList<AIFunction> Callable => Volatile.Read(ref _offered)?.Callable ?? _tools;

    /// <summary>How many tools were offered so far: what was built from <see cref="ForModel"/> is out of date once it
    /// changes.</summary>
    public int Offers => Volatile.Read(ref _offered)?.Count ?? 0;

    /// <summary>Offers a tool for the rest of the turn; one with the name of a tool already offered is ignored. Calls of
    /// one round may offer at the same time.</summary>
    public Action<AIFunction> Offer => _offer ??= Add;

    /// <summary>A new list of what the model is offered: the agent's tools, the handoff tool, then those offered so far.</summary>
    public List<AITool> ForModel() => Volatile.Read(ref _offered) is { } offered ? [.. offered.Tools] : Own();

    private List<AITool> Own()
    {
        var list = new List<AITool>(_tools.Count + 1);
        for (var i = 0; i < _tools.Count; i++)
        {
            list.Add(_tools[i]);
        }

        if (_handoff is not null)
        {
            list.Add(_handoff);
        }

        return list;
    }

    private void Add(AIFunction tool)
    {
        while (true)
        {
            var current = Volatile.Read(ref _offered);
            var tools = current?.Tools ?? Own();
            foreach (var offered in tools)
            {
                if (offered.Name == tool.Name)
                {
                    return;
                }
            }

            List<AITool> next = [.. tools, tool];
            if (Interlocked.CompareExchange(ref _offered, new Offered(next, [.. next.OfType<AIFunction>()], (current?.Count ?? 0) + 1), current) == current)
            {
                return;
            }
        }
    }

    // What was offered so far; never changed once published.
    private sealed record Offered(List<AITool> Tools, AIFunction[] Callable, int Count);
}
