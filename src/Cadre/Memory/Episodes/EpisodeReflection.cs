using System.ComponentModel;

namespace Cadre.Memory.Episodes;

/// <summary>What the model is asked to write about a finished run.</summary>
internal sealed record EpisodeReflection
{
    [Description("A short kind of task, lower case, like 'billing/duplicate-charge' or 'technical/login'.")]
    public string TaskType { get; init; } = "";

    [Description("Short lessons that would help with a similar task next time; none when nothing was learned.")]
    public List<string> Lessons { get; init; } = [];
}
