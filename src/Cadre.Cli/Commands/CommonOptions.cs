using System.CommandLine;

namespace Cadre.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    /// <summary>The default workspace folder.</summary>
    public const string DefaultWorkspace = ".cadre";

    /// <summary><c>--workspace &lt;folder&gt;</c>, default <c>.cadre</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<string> Workspace() => new("--workspace", "-w")
    {
        Description = "The workspace: a folder (one SQLite file with runs, checkpoints and memory) or a PostgreSQL database (postgres://user@host:port/db or an Npgsql connection string); CADRE_WORKSPACE when not given.",
        DefaultValueFactory = _ => DefaultWorkspace,
    };

    /// <summary><c>--model &lt;spec&gt;</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = "The model for every agent: openai:<model>, ollama:<model>[@url], replay:<cassette.json>, scripted:<script.json>; a comma-separated list is a fallback chain.",
    };

    /// <summary><c>--embeddings &lt;name&gt;</c>: the embedder of memory (see <see cref="Cadre.Embeddings.EmbeddingCatalog"/>).</summary>
    /// <returns>The option.</returns>
    public static Option<string?> Embeddings() => new("--embeddings")
    {
        Description = "The embedder of memory: local:arctic-xs (default, offline), local:minilm, hashing, openai:<model>, ollama:<model>.",
    };

    /// <summary><c>--json</c>.</summary>
    /// <param name="description">What it prints.</param>
    /// <returns>The option.</returns>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary><c>--wait-for-approval</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<bool> WaitForApproval() => new("--wait-for-approval")
    {
        Description = "Leave calls that need approval to a person: the run stops waiting for approval (cadre approvals, cadre dashboard) and continues with cadre resume.",
    };
}
