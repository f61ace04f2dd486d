using Cadre.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cadre.Hosting;

/// <summary>
/// Where a host runs specs: the folder relative paths start from, the environment (model keys, the dotnet host),
/// the clock, the logger, and who can be asked to approve a tool call. The <c>cadre</c> command fills it from its
/// terminal; <see cref="CadreServiceCollectionExtensions.AddCadre"/> from the service provider.
/// </summary>
public sealed class CadreHostOptions
{
    /// <summary>The folder relative spec, workspace and cassette paths are resolved against.</summary>
    public string CurrentDirectory { get; set; } = Environment.CurrentDirectory;

    /// <summary>Reads environment variables (<c>OPENAI_API_KEY</c>, <c>DOTNET_HOST_PATH</c>, ...).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>The clock of runs, tools and models.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Receives what happens while loading and running: tool project builds (information), MCP servers'
    /// own log lines (debug), runs ending (debug).</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Makes the approver that asks a person (the terminal, a web page), when one can be asked; the spec's
    /// approval policy (<c>tools: { approvals: &lt;file&gt; }</c>) decides otherwise, and without one calls that need
    /// approval are denied. A new approver per loaded spec; disposed with it when disposable.</summary>
    public Func<IToolApprover>? Approver { get; set; }

    /// <summary>How <see cref="Approver"/> decides, in words for people (<c>approvals: asked at the terminal</c>).</summary>
    public string ApproverDescription { get; set; } = "approvals: asked by the host";

    /// <summary>Resolves a path against <see cref="CurrentDirectory"/>.</summary>
    /// <returns>The absolute path; an absolute <paramref name="path"/> comes back normalized, not moved.</returns>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
