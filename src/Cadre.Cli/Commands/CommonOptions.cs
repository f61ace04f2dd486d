using System.CommandLine;

namespace Cadre.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    /// <summary>The <c>--workspace</c> value when none is given (<c>.cadre</c> in the current folder); left at it, <c>CADRE_WORKSPACE</c> or the spec's <c>workspace:</c> decide.</summary>
    public const string DefaultWorkspace = ".cadre";

    /// <summary>A new <c>--workspace</c> (<c>-w</c>) option: a folder or a PostgreSQL location, default <c>.cadre</c> (then <c>CADRE_WORKSPACE</c> decides).</summary>
    public static Option<string> Workspace() => new("--workspace", "-w")
    {
        Description = "The workspace: a folder (one SQLite file with runs, checkpoints and memory) or a PostgreSQL database (postgres://user@host:port/db or an Npgsql connection string); CADRE_WORKSPACE when not given.",
        DefaultValueFactory = _ => DefaultWorkspace,
    };

    /// <summary>A new <c>--model</c> (<c>-m</c>) option, which replaces every agent's model; none when not given.</summary>
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = "The model for every agent: openai:<model>, ollama:<model>[@url], replay:<cassette.json>, scripted:<script.json>; a comma-separated list is a fallback chain.",
    };

    /// <summary>A new <c>--embeddings</c> option: the embedder of memory, none when not given (see <see cref="Cadre.Embeddings.EmbeddingCatalog"/>).</summary>
    public static Option<string?> Embeddings() => new("--embeddings")
    {
        Description = "The embedder of memory: local:arctic-xs (default, offline), local:minilm, hashing, openai:<model>, ollama:<model>.",
    };

    /// <summary>A new <c>--json</c> flag; <paramref name="description"/> is its help text, which says what is printed instead.</summary>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary>A new <c>--wait-for-approval</c> flag (see <see cref="RunHost.Settings.WaitForApproval"/>).</summary>
    public static Option<bool> WaitForApproval() => new("--wait-for-approval")
    {
        Description = "Leave calls that need approval to a person: the run stops waiting for approval (cadre approvals, cadre dashboard) and continues with cadre resume.",
    };
}
