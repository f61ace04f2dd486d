using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>
/// Finds the tools of a .NET assembly: its public methods marked <see cref="ToolAttribute"/>, turned into
/// <see cref="AIFunction"/>s by <see cref="AIFunctionFactory"/>, described by their <c>[Description]</c> attributes or,
/// without them, by the XML documentation file built next to the assembly. Assemblies from files load into their own load
/// context with their dependencies (native ones too), sharing Cadre and Microsoft.Extensions.AI with the host; a file is
/// loaded once per process (while it is unchanged), and every <see cref="Load"/> creates new instances of its tool classes.
/// </summary>
public static class ToolAssembly
{
    private static readonly ConcurrentDictionary<(string Path, DateTime Written, long Length), Lazy<Assembly>> Loaded = new();

    /// <summary>Loads the tools of an assembly file.</summary>
    /// <param name="path">The assembly file (.dll), absolute or relative to the current directory; a file unchanged since it was first loaded in this process is not loaded again.</param>
    /// <param name="environment">What tool classes are told when created.</param>
    /// <returns>The tools, in declaration order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ToolLoadException">The assembly cannot be loaded or a tool class cannot be created.</exception>
    public static IReadOnlyList<AIFunction> Load(string path, ToolEnvironment environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The tool assembly '{full}' does not exist.", full);
        }

        return From(LoadOnce(full), environment);
    }

    // One load context per assembly file and version of it in a process: a host that runs many runs of the same spec
    // (a cluster silo) loads its tools once, not once per run — load contexts of files are never unloaded. Each run
    // still gets its own tool class instances (From); a rebuilt file (another write time or size) loads anew.
    private static Assembly LoadOnce(string full)
    {
        var file = new FileInfo(full);
        var version = (full, file.LastWriteTimeUtc, file.Length);
        var loading = Loaded.GetOrAdd(version, static v => new Lazy<Assembly>(() => new ToolLoadContext(v.Path).LoadFromAssemblyPath(v.Path)));
        try
        {
            return loading.Value;
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            Loaded.TryRemove(version, out _);
            throw new ToolLoadException($"'{full}' is not a .NET assembly Cadre can load: {ex.Message}", ex);
        }
    }

    /// <summary>Finds the tools of an assembly already loaded.</summary>
    /// <param name="assembly">The assembly whose exported types are searched for public <see cref="ToolAttribute"/> methods.</param>
    /// <param name="environment">What tool classes are told when created.</param>
    /// <returns>A new function per tool method, in declaration order; tool classes are instantiated afresh on each call.</returns>
    /// <exception cref="ToolLoadException">A tool class cannot be created, or two tools share a name.</exception>
    public static IReadOnlyList<AIFunction> From(Assembly assembly, ToolEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(environment);
        var tools = new List<AIFunction>();
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new ToolLoadException($"The types of '{assembly.GetName().Name}' cannot be read: {ex.Message}", ex);
        }

        foreach (var type in types)
        {
            object? instance = null;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var attribute = method.GetCustomAttribute<ToolAttribute>();
                if (attribute is null)
                {
                    continue;
                }

                if (!method.IsStatic)
                {
                    instance ??= Create(type, environment);
                }

                tools.Add(Create(method, instance, attribute));
            }
        }

        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? tools
            : throw new ToolLoadException($"'{assembly.GetName().Name}' has two tools named '{duplicate.Key}'.");
    }

    /// <summary>Turns one method into a tool.</summary>
    /// <param name="method">The method, static or instance (then called on <paramref name="target"/>); its parameters become the tool's arguments.</param>
    /// <param name="target">The instance for an instance method.</param>
    /// <param name="attribute">The method's tool attribute.</param>
    /// <returns>The tool, with the attribute's <see cref="ToolDescriptor"/> attached.</returns>
    /// <exception cref="ToolLoadException">The attribute's settings are not valid.</exception>
    public static AIFunction Create(MethodInfo method, object? target, ToolAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(attribute);
        // Descriptions come from [Description] attributes, else from the assembly's XML documentation.
        var options = new AIFunctionFactoryOptions
        {
            Name = attribute.Name ?? ToolNames.FromMethod(method.Name),
            Description = method.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>() is null ? XmlDocumentation.Summary(method) : null,
            JsonSchemaCreateOptions = AIJsonSchemaCreateOptions.Default with
            {
                ParameterDescriptionProvider = p => p.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>() is null ? XmlDocumentation.Parameter(p) : null,
            },
        };
        try
        {
            return attribute.ToDescriptor().Attach(AIFunctionFactory.Create(method, target, options));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new ToolLoadException($"Tool method '{method.DeclaringType?.FullName}.{method.Name}': {ex.Message}", ex);
        }
    }

    private static object Create(Type type, ToolEnvironment environment)
    {
        try
        {
            var withEnvironment = type.GetConstructor([typeof(ToolEnvironment)]);
            if (withEnvironment is not null)
            {
                return withEnvironment.Invoke([environment]);
            }

            return Activator.CreateInstance(type)
                ?? throw new ToolLoadException($"Cannot create tool class '{type.FullName}'.");
        }
        catch (MissingMethodException ex)
        {
            throw new ToolLoadException($"Tool class '{type.FullName}' needs a public constructor that takes a ToolEnvironment, or none.", ex);
        }
        catch (TargetInvocationException ex)
        {
            throw new ToolLoadException($"Creating tool class '{type.FullName}' failed: {ex.InnerException?.Message ?? ex.Message}", ex.InnerException ?? ex);
        }
    }

    private sealed class ToolLoadContext(string path) : AssemblyLoadContext($"cadre-tools:{Path.GetFileNameWithoutExtension(path)}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Share what the host has (Cadre, Microsoft.Extensions.AI, ...) so types match across the boundary.
            try
            {
                return Default.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
                var resolved = _resolver.ResolveAssemblyToPath(assemblyName);
                return resolved is null ? null : LoadFromAssemblyPath(resolved);
            }
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var resolved = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return resolved is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(resolved);
        }
    }
}
