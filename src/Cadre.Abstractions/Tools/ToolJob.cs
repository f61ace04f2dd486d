namespace Cadre.Tools;

/// <summary>A call of a long-running tool that runs in the background.</summary>
public sealed record ToolJob
{
    /// <summary>The job's id (<c>job-</c> and a short hash of <see cref="Key"/>), which the model uses to ask about it.</summary>
    public required string Id { get; init; }

    /// <summary>The idempotency key of the call that started it; one job per key.</summary>
    public required string Key { get; init; }

    /// <summary>The run it belongs to ("" outside a run).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The step that started it.</summary>
    public int Step { get; init; }

    /// <summary>The agent that started it.</summary>
    public required string Agent { get; init; }

    /// <summary>The name of the tool the job runs.</summary>
    public required string Tool { get; init; }

    /// <summary>The call's arguments as JSON, as the model sent them; the job runs the tool with them.</summary>
    public string Arguments { get; init; } = "{}";

    /// <summary>Running until the tool returns (then succeeded or failed) or its run is cancelled.</summary>
    public ToolJobStatus Status { get; init; }

    /// <summary>The result or error text, once finished.</summary>
    public string? Result { get; init; }

    /// <summary>When the call started the job, from the run's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the job finished or was cancelled; null while it is running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>True once it has finished, one way or another.</summary>
    public bool IsFinished => Status != ToolJobStatus.Running;

    /// <summary>The job id for an idempotency key: stable, so a resumed run finds the job its call started.</summary>
    public static string IdFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        return "job-" + Convert.ToHexStringLower(hash)[..10];
    }
}
