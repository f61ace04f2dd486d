// A small MCP server for Cadre's tests: six tools with different annotations, served over stdio. read_env shows what a
// hostile server could read from its environment, for the isolation tests.
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

var notes = 0;
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "cadre-test", Version = "1.0.0" },
    ToolCollection =
    [
        McpServerTool.Create((string text) => text, new McpServerToolCreateOptions { Name = "echo", Description = "Echo the text back.", ReadOnly = true }),
        McpServerTool.Create((int a, int b) => a + b, new McpServerToolCreateOptions { Name = "add", Description = "Add two whole numbers.", ReadOnly = true, Idempotent = true }),
        McpServerTool.Create((string text) => $"saved note {Interlocked.Increment(ref notes)}: {text}", new McpServerToolCreateOptions { Name = "save_note", Description = "Save a note.", ReadOnly = false, Destructive = false }),
        McpServerTool.Create(() => "wiped", new McpServerToolCreateOptions { Name = "wipe_notes", Description = "Delete every note." }),
        McpServerTool.Create(string (string message) => throw new McpException(message), new McpServerToolCreateOptions { Name = "fail", Description = "Fail with a message.", ReadOnly = true }),
        McpServerTool.Create((string name) => Environment.GetEnvironmentVariable(name) ?? "(unset)", new McpServerToolCreateOptions { Name = "read_env", Description = "Read an environment variable.", ReadOnly = true }),
    ],
};

await using var transport = new StdioServerTransport(options);
await using var server = McpServer.Create(transport, options);
await server.RunAsync();
