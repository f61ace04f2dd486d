using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

public static partial class SpecLoader
{
    // Reads the spec's 'tools:' section: the tools assembly or project, approvals and the MCP server entries.
    private sealed partial class Reader
    {
        private static readonly string[] ToolKeys = ["assembly", "project", "mcp", "approvals"];
        private static readonly string[] McpKeys = ["command", "args", "env", "inherit_env", "cwd", "requires_approval", "timeout"];

        public ToolsSpec Tools(YamlNode? node)
        {
            if (node is null)
            {
                return new ToolsSpec();
            }

            var map = Mapping(node, "'tools'");
            CheckKeys(map, ToolKeys, "'tools'");
            return new ToolsSpec
            {
                Assembly = OptionalValue(map, "assembly"),
                Project = OptionalValue(map, "project"),
                Mcp = McpServers(Optional(map, "mcp")),
                Approvals = OptionalValue(map, "approvals"),
            };
        }

        public IReadOnlyList<McpServerSpec> McpServers(YamlNode? node)
        {
            IEnumerable<YamlNode> items = node switch
            {
                null => [],
                YamlSequenceNode seq => seq.Children,
                YamlScalarNode or YamlMappingNode => [node],
                _ => throw new SpecException(At(node), "tools.mcp must be a list of servers."),
            };
            var servers = new List<McpServerSpec>();
            foreach (var item in items)
            {
                const string Example = "\"npx -y some-server\" or { command: npx, args: [-y, some-server], env: { API_KEY: ${SOME_KEY} } }";
                if (item is not YamlMappingNode map)
                {
                    var line = Scalar(item, "an item of tools.mcp");
                    servers.Add(new McpServerSpec
                    {
                        Command = line.Value.Trim().Length > 0 ? line : throw new SpecException(line.Location, $"an MCP server entry is empty; write {Example}."),
                        Location = line.Location,
                    });
                    continue;
                }

                CheckKeys(map, McpKeys, "an MCP server");
                var command = OptionalValue(map, "command") ?? throw new SpecException(At(map), $"an MCP server needs 'command:' (a command or an http(s) URL), like {Example}.");
                if (command.Value.Trim().Length == 0)
                {
                    throw new SpecException(command.Location, $"an MCP server's command is empty; write {Example}.");
                }

                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                if (Optional(map, "env") is { } env)
                {
                    foreach (var (key, value) in Mapping(env, "'env'").Children)
                    {
                        var name = Scalar(key, "a variable name");
                        if (name.Value.Length == 0 || name.Value.Contains('=', StringComparison.Ordinal) || name.Value.Any(char.IsControl))
                        {
                            throw new SpecException(name.Location, $"'{name.Value}' is not a variable name.");
                        }

                        environment[name.Value] = IsNull(value) ? "" : Scalar(value, $"the value of '{name.Value}'").Value;
                    }
                }

                servers.Add(new McpServerSpec
                {
                    Command = command,
                    Arguments = List(Optional(map, "args"), "'args'").Select(a => a.Value).ToList(),
                    Environment = environment,
                    InheritEnvironment = OptionalBool(map, "inherit_env") ?? false,
                    WorkingDirectory = OptionalString(map, "cwd"),
                    RequiresApproval = OptionalBool(map, "requires_approval"),
                    Timeout = OptionalDuration(map, "timeout"),
                    Location = At(map),
                });
            }

            return servers;
        }
    }
}
