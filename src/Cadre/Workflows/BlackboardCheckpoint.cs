using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json;
using Cadre.Memory;
using Cadre.Memory.Shared;

namespace Cadre.Workflows;

/// <summary>
/// Puts a run's shared-memory changes into its checkpoints: with every step it records, in the step's own
/// transaction, the blackboard's audit position and the keys written (namespace, key, version, who) since the
/// previous checkpoint. A resumed run continues from the recorded position, so each change is attributed to exactly
/// one step, and <c>cadre runs show</c> can say what shared memory looked like at any step.
/// </summary>
/// <remarks>Blackboard writes are durable as they happen (versioned, audited); the checkpoint records them, it does
/// not hold them back. State a resumed workflow needs (a handoff note, say) is in the workflow state itself.</remarks>
public sealed class BlackboardCheckpoint : ICheckpointContributor
{
    private readonly IBlackboardStore _store;
    private readonly string _board;
    private readonly ConcurrentDictionary<string, long> _positions = new(StringComparer.Ordinal);

    /// <summary>Records the changes of one board.</summary>
    /// <param name="store">The store whose audit trail is read for the board's changes (normally the workspace's);
    /// it is only read.</param>
    /// <param name="board">The board (its memory scope).</param>
    public BlackboardCheckpoint(IBlackboardStore store, MemoryScope board)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(board);
        _store = store;
        _board = board.ToString();
    }

    /// <summary>The most changes one checkpoint lists (the position is always recorded).</summary>
    public int MaxChanges { get; init; } = 200;

    /// <inheritdoc />
    public string Name => "blackboard";

    /// <inheritdoc />
    public async ValueTask<JsonElement?> CaptureAsync(CheckpointContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var since = _positions.GetValueOrDefault(context.RunId, -1);
        var recent = await _store.AuditAsync(_board, null, null, MaxChanges, cancellationToken);
        var position = recent.Count == 0 ? Math.Max(since, 0) : Math.Max(since, recent.Max(a => a.Sequence));
        var changes = since < 0 ? [] : recent.Where(a => a.Sequence > since).OrderBy(a => a.Sequence).ToList();
        _positions[context.RunId] = position;
        var part = new JsonObject
        {
            ["board"] = _board,
            ["position"] = position,
            ["changes"] = new JsonArray(changes.Select(a => (JsonNode?)new JsonObject
            {
                ["namespace"] = a.Namespace,
                ["key"] = a.Key,
                ["version"] = a.Version,
                ["actor"] = a.Actor,
            }).ToArray()),
        };
        return JsonSerializer.SerializeToElement(part);
    }

    /// <inheritdoc />
    public ValueTask RestoreAsync(CheckpointContext context, JsonElement? saved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (saved is { ValueKind: JsonValueKind.Object } part && part.TryGetProperty("position", out var position) && position.TryGetInt64(out var value))
        {
            _positions[context.RunId] = value;
        }

        return ValueTask.CompletedTask;
    }
}
