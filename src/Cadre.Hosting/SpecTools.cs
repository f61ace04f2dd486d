using Cadre.Specs;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Hosting;

/// <summary>Loads the tools a spec names: from its assembly, or its project (built first when needed).</summary>
public static class SpecTools
{
    /// <summary>Loads the functions of a spec's tools project (built first when its assembly is missing or stale) and its tools assembly.</summary>
    /// <param name="spec">The loaded spec; its <c>tools: { project, assembly }</c> paths are relative to its folder.</param>
    /// <param name="workspaceDirectory">The workspace folder, told to tool classes.</param>
    /// <param name="context">Where specs run (the logger for build messages, the environment).</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The project's functions, then the assembly's; empty when the spec names neither. MCP servers and chains are not loaded here (<see cref="ToolHost"/>).</returns>
    /// <exception cref="SpecException">The assembly or project named by the spec cannot be loaded.</exception>
    public static async Task<IReadOnlyList<AIFunction>> LoadAsync(SystemSpec spec, string workspaceDirectory, CadreHostOptions context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var environment = new ToolEnvironment(spec.Directory, workspaceDirectory);
        var tools = new List<AIFunction>();
        if (spec.Tools.Project is { } project)
        {
            var path = Path.GetFullPath(project.Value, spec.Directory);
            string assembly;
            try
            {
                assembly = await ToolProjectBuilder.BuildAsync(path, line => HostLog.Building(context.Logger, line), context.GetEnvironmentVariable, cancellationToken);
            }
            catch (UsageException ex)
            {
                throw new SpecException(project.Location, ex.Message, ex);
            }

            tools.AddRange(Load(assembly, environment, project));
        }

        if (spec.Tools.Assembly is { } file)
        {
            tools.AddRange(Load(Path.GetFullPath(file.Value, spec.Directory), environment, file));
        }

        return tools;
    }

    private static IReadOnlyList<AIFunction> Load(string path, ToolEnvironment environment, SpecValue where)
    {
        try
        {
            return ToolAssembly.Load(path, environment);
        }
        catch (Exception ex) when (ex is FileNotFoundException or ToolLoadException)
        {
            throw new SpecException(where.Location, ex.Message, ex);
        }
    }
}
