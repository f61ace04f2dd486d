namespace Cadre.Tools;

/// <summary>Where a background tool job is.</summary>
public enum ToolJobStatus
{
    /// <summary>Started and not finished.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Succeeded,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Cancelled (with its run, or by request).</summary>
    Cancelled,
}
