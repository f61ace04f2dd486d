namespace Cadre.Orleans;

/// <summary>A run sent to the cluster.</summary>
/// <param name="Spec">The spec's name: a folder or <c>.yaml</c> file directly inside the silos' specs folder
/// (<c>support-desk</c>), never a path.</param>
/// <param name="Task">The task, as the user wrote it.</param>
/// <param name="Model">A model spec that replaces the spec's (<c>replay:...</c>, <c>openai:gpt-4o-mini</c>), if any; kept
/// with the run so the silo that resumes it uses the same.</param>
[GenerateSerializer]
[Alias("Cadre.Orleans.RunSubmission")]
public sealed record RunSubmission([property: Id(0)] string Spec, [property: Id(1)] string Task, [property: Id(2)] string? Model = null);
