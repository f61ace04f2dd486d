using Cadre.Postgres;
using Cadre.Specs;
using Cadre.Sqlite;
using Cadre.Workspaces;

namespace Cadre.Hosting;

/// <summary>
/// Opens the workspace a <c>--workspace</c> value names: a folder holds a SQLite workspace; a <c>postgres://</c> URL or
/// an Npgsql connection string names a PostgreSQL one. Left at its default (<c>.cadre</c>), the value comes from
/// <c>CADRE_WORKSPACE</c> when that is set, and from a spec's <c>workspace:</c> when the caller passes one.
/// </summary>
public static class WorkspaceLocation
{
    /// <summary>The environment variable that names the workspace when <c>--workspace</c> is not given.</summary>
    public const string Variable = "CADRE_WORKSPACE";

    /// <summary>The folder a SQLite workspace lives in by default, and where tools keep their files next to a
    /// PostgreSQL workspace.</summary>
    public const string DefaultFolder = ".cadre";

    /// <summary>Resolves what the workspace option, the environment and a spec say, in that order of precedence.</summary>
    /// <param name="context">The host: its environment (<c>CADRE_WORKSPACE</c>) and its folder, which relative paths start from.</param>
    /// <param name="option">The <c>--workspace</c> value (<c>.cadre</c> when not given).</param>
    /// <param name="specWorkspace">The spec's <c>workspace:</c>, if any.</param>
    /// <returns>A folder (full path) or a PostgreSQL location.</returns>
    public static string Resolve(CadreHostOptions context, string option, string? specWorkspace = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var location = option;
        if (option == DefaultFolder)
        {
            location = context.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : specWorkspace ?? option;
        }

        return PostgresConnectionString.IsPostgres(location) ? location : context.FullPath(location);
    }

    /// <summary>A spec's <c>workspace:</c> as a location: a folder is relative to the spec's folder.</summary>
    /// <param name="spec">The loaded spec; its folder is where a relative <c>workspace:</c> starts from.</param>
    /// <returns>The location, or null when the spec names none.</returns>
    public static string? FromSpec(SystemSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Workspace?.Value is not { Length: > 0 } value ? null
            : PostgresConnectionString.IsPostgres(value) ? value : Path.GetFullPath(value, spec.Directory);
    }

    /// <summary>Opens the workspace named by <paramref name="option"/> (see <see cref="Resolve"/>).</summary>
    /// <param name="context">The host: its environment (<c>CADRE_WORKSPACE</c>) and its folder, which relative paths start from.</param>
    /// <param name="option">The <c>--workspace</c> value (<c>.cadre</c> when not given).</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="specWorkspace">The spec's <c>workspace:</c>, if any.</param>
    /// <returns>The open workspace, which the caller disposes; a SQLite folder and database are created when missing.</returns>
    public static async Task<IWorkspace> OpenAsync(CadreHostOptions context, string option, CancellationToken cancellationToken, string? specWorkspace = null)
    {
        var location = Resolve(context, option, specWorkspace);
        if (!PostgresConnectionString.IsPostgres(location))
        {
            return await SqliteWorkspace.OpenAsync(location, cancellationToken);
        }

        try
        {
            return await PostgresWorkspace.OpenAsync(location, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }

    /// <summary>Where the workspace is, for messages: the folder, or <c>postgres://user@host:port/database</c> — never a
    /// password, whatever form the location was given in.</summary>
    /// <param name="context">The host: its environment (<c>CADRE_WORKSPACE</c>) and its folder, which relative paths start from.</param>
    /// <param name="option">The <c>--workspace</c> value (<c>.cadre</c> when not given).</param>
    /// <param name="specWorkspace">The spec's <c>workspace:</c>, if any.</param>
    /// <returns>Text safe to print or log.</returns>
    public static string Describe(CadreHostOptions context, string option, string? specWorkspace = null)
    {
        var location = Resolve(context, option, specWorkspace);
        if (!PostgresConnectionString.IsPostgres(location))
        {
            return location;
        }

        try
        {
            return PostgresConnectionString.Describe(PostgresConnectionString.Parse(location));
        }
        catch (ArgumentException)
        {
            return "a PostgreSQL workspace (its location cannot be read)";
        }
    }

    /// <summary>The folder tools are told to keep their files in: the SQLite workspace's folder, or <c>.cadre</c> in the
    /// current folder next to a PostgreSQL workspace.</summary>
    /// <param name="context">The host: its environment (<c>CADRE_WORKSPACE</c>) and its folder, which relative paths start from.</param>
    /// <param name="workspace">The open workspace; only a <see cref="SqliteWorkspace"/> has a folder of its own.</param>
    /// <returns>A full path; it may not exist yet.</returns>
    public static string FolderFor(CadreHostOptions context, IWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(context);
        return workspace is SqliteWorkspace sqlite ? sqlite.Directory : context.FullPath(DefaultFolder);
    }
}
