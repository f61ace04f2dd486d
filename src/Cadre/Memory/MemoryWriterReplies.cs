using System.ComponentModel;

namespace Cadre.Memory;

/// <summary>What the model is asked to return when it extracts memories from a turn.</summary>
internal sealed record ExtractedMemories
{
    [Description("Durable facts and preferences worth remembering in later conversations; empty when there are none.")]
    public List<ExtractedMemory> Memories { get; init; } = [];
}

/// <summary>One fact the model extracted from a turn, before it is compared with existing memories.</summary>
internal sealed record ExtractedMemory
{
    [Description("One self-contained sentence that names who or what it is about (names and ids, no pronouns).")]
    public string Text { get; init; } = "";

    [Description("preference or fact")]
    public string Kind { get; init; } = "fact";

    [Description("How much it matters for later conversations, from 0 to 1.")]
    public double Importance { get; init; } = 0.5;
}

/// <summary>What the model is asked to return when it reconciles new facts with existing memories.</summary>
internal sealed record MemoryDecisions
{
    public List<MemoryDecision> Decisions { get; init; } = [];
}

/// <summary>What to do with one new fact.</summary>
internal sealed record MemoryDecision
{
    [Description("The number of the new fact.")]
    public int Fact { get; init; }

    public MemoryAction Action { get; init; }

    [Description("For update and delete: the number of the existing memory.")]
    public int? Memory { get; init; }

    [Description("For add and update: the text to store (for update, the merged memory).")]
    public string Text { get; init; } = "";
}

/// <summary>What the model may decide for one new fact against the existing memories.</summary>
internal enum MemoryAction
{
    /// <summary>Store the fact as a new memory.</summary>
    Add,

    /// <summary>Rewrite an existing memory.</summary>
    Update,

    /// <summary>Forget an existing memory that no longer holds.</summary>
    Delete,

    /// <summary>Already known: nothing is written.</summary>
    None,
}
