using Cadre.Sqlite;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Support;

/// <summary>Workspaces and tools for workflow tests: the same test runs on memory and on a real SQLite file.</summary>
public static class TestWorkspaces
{
    public static async Task<IWorkspace> OpenAsync(string kind, TempDirectory dir) => kind switch
    {
        "memory" => new InMemoryWorkspace(),
        "sqlite" => await SqliteWorkspace.OpenAsync(dir.Combine("ws-" + Guid.NewGuid().ToString("n")[..6])),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A tool with side effects that counts how often it really ran.</summary>
    public static AIFunction SideEffect(string name, Func<string> effect) =>
        AIFunctionFactory.Create(effect, new AIFunctionFactoryOptions
        {
            Name = name,
            AdditionalProperties = new Dictionary<string, object?> { [ToolNames.SideEffectsKey] = SideEffects.Irreversible },
        });
}
