using Cadre.Security;
using Cadre.Specs;
using Cadre.Tools;
using Cadre.Tools.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cadre.Hosting;

/// <summary>
/// The tools of a spec, as <c>cadre run</c> and <c>cadre tools</c> find them: its assembly or project, its MCP
/// servers (started now, stopped on dispose) and its chains, in one registry; and the governed invoker that calls
/// them, with the approver the situation allows: the person the host can ask, else the spec's approval policy, else
/// none (calls that need approval are denied, saying why). Never waits for an answer no one can give.
/// </summary>
public sealed class ToolHost : IAsyncDisposable
{
    private static readonly string[] ModelKeys = ["OPENAI_API_KEY", "OLLAMA_API_KEY", "AZURE_OPENAI_API_KEY"];
    private readonly List<McpToolServer> _servers;

    private ToolHost(ToolRegistry registry, GovernedToolInvoker invoker, List<McpToolServer> servers, string approvals)
    {
        Registry = registry;
        Invoker = invoker;
        _servers = servers;
        Approvals = approvals;
    }

    /// <summary>Every tool: the spec's assembly or project, its MCP servers and its chains.</summary>
    public ToolRegistry Registry { get; }

    /// <summary>The governed path calls to these tools take (policy and approval, limits, retries, ledger, audit), with the approver chosen at loading.</summary>
    public GovernedToolInvoker Invoker { get; }

    /// <summary>How approvals are decided, in words (for the live view).</summary>
    public string Approvals { get; }

    /// <summary>Loads a spec's tools, starts its MCP servers, adds its chains and puts them behind the governed path with the approver the spec and host call for.</summary>
    /// <param name="spec">The loaded spec: its tools assembly or project, MCP servers, chains and approval policy.</param>
    /// <param name="workspaceDirectory">The workspace folder, told to tool classes.</param>
    /// <param name="context">Where specs run (who approves, environment, clock, logger).</param>
    /// <param name="cancellationToken">Cancels loading; MCP servers already started are stopped and the call throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="defaultTimeout">The timeout of tools that set none (a chaos drill sets one so injected hangs end).</param>
    /// <param name="waitForApproval">True to leave calls that need approval to a person who may decide later
    /// (<see cref="ApprovalQueue"/>), over the terminal and the policy.</param>
    /// <param name="jitter">The random source of retry jitter (seeded by <c>--seed</c> in a chaos drill); Polly's own when null.</param>
    /// <returns>The host; dispose it to stop MCP servers.</returns>
    /// <exception cref="SpecException">A tool source or the approval policy named by the spec cannot be loaded.</exception>
    public static async Task<ToolHost> LoadAsync(SystemSpec spec, string workspaceDirectory, CadreHostOptions context, CancellationToken cancellationToken, TimeSpan? defaultTimeout = null, bool waitForApproval = false, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var tools = new List<AIFunction>(await SpecTools.LoadAsync(spec, workspaceDirectory, context, cancellationToken));
        var servers = new List<McpToolServer>();
        var secrets = new List<string?>();
        try
        {
            foreach (var entry in spec.Tools.Mcp)
            {
                McpToolServer server;
                try
                {
                    var environment = McpEnvironment(entry, context);
                    secrets.AddRange(environment.Values);
                    server = await McpToolServer.ConnectAsync(entry.Command.Value, new McpConnectOptions
                    {
                        WorkingDirectory = entry.WorkingDirectory is { } cwd ? Path.GetFullPath(cwd, spec.Directory) : spec.Directory,
                        Arguments = entry.Arguments,
                        Environment = environment,
                        InheritEnvironment = entry.InheritEnvironment,
                        RequiresApproval = entry.RequiresApproval,
                        Timeout = entry.Timeout ?? new McpConnectOptions().Timeout,
                        ServerLog = context.Logger.IsEnabled(LogLevel.Debug) ? line => HostLog.McpServer(context.Logger, line) : null,
                    }, cancellationToken);
                }
                catch (McpImportException ex)
                {
                    throw new SpecException(entry.Location, ex.Message, ex);
                }

                servers.Add(server);
                foreach (var tool in server.Tools)
                {
                    if (tools.Any(t => t.Name == tool.Name))
                    {
                        throw new SpecException(entry.Location, $"the MCP server '{server.Name}' has a tool named '{tool.Name}', which another tool has already.");
                    }

                    tools.Add(tool);
                }
            }

            var registry = new ToolRegistry().AddRange(AgentSystem.WithChains(spec, tools));
            var (approver, approvals, policy) = Approver(spec, context);
            if (policy is not null)
            {
                ApprovalPolicyFile.CheckTools(policy, registry.Tools);
            }

            if (waitForApproval)
            {
                (approver as IDisposable)?.Dispose();
                (approver, approvals) = (new ApprovalQueue(time: context.Time), ApprovalQueue.Description);
            }

            var invoker = new GovernedToolInvoker(new GovernedToolOptions
            {
                Registry = registry,
                Approver = approver,
                NeedsApproval = policy is null ? null : policy.Governs,
                Redactor = Secrets(context, secrets),
                Time = context.Time,
                DefaultTimeout = defaultTimeout,
                RetryRandomizer = jitter,
                NoApproverReason = "no terminal is attached and the spec names no approval policy (tools: { approvals: <file> }), so calls that need approval are denied",
            });
            return new ToolHost(registry, invoker, servers, approvals);
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Background jobs get a moment to finish; the store keeps the others, which a resumed run starts again.
            await Invoker.WhenJobsIdleAsync().WaitAsync(TimeSpan.FromSeconds(5), Invoker.Options.Time);
        }
        catch (TimeoutException)
        {
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        (Invoker.Options.Approver as IDisposable)?.Dispose();
    }

    /// <summary>What the audit log must never hold: the values of the host's secret variables and those handed to
    /// MCP servers.</summary>
    private static SecretRedactor Secrets(CadreHostOptions context, IEnumerable<string?> also)
    {
        var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string))
            .Concat(ModelKeys.Select(n => new KeyValuePair<string, string?>(n, context.GetEnvironmentVariable(n))));
        return SecretRedactor.FromEnvironment(variables, also);
    }

    // ${VAR} in an MCP server's env names a variable of the host, so the secret stays out of the spec.
    private static Dictionary<string, string?> McpEnvironment(McpServerSpec entry, CadreHostOptions context)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in entry.Environment)
        {
            environment[name] = System.Text.RegularExpressions.Regex.Replace(value, @"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", m =>
                context.GetEnvironmentVariable(m.Groups[1].Value)
                ?? throw new SpecException(entry.Location, $"the MCP server's variable {name} names ${{{m.Groups[1].Value}}}, which is not set in this environment."));
        }

        return environment;
    }

    private static (IToolApprover? Approver, string Description, ApprovalPolicy? Policy) Approver(SystemSpec spec, CadreHostOptions context)
    {
        // The policy is read even when a person will be asked, so a broken policy file is found before it is needed.
        ApprovalPolicy? policy = null;
        if (spec.Tools.Approvals is { } file)
        {
            try
            {
                policy = ApprovalPolicyFile.Load(Path.GetFullPath(file.Value, spec.Directory));
            }
            catch (SpecException ex) when (ex.Location is null)
            {
                throw new SpecException(file.Location, ex.Message, ex);
            }
        }

        if (context.Approver is { } person)
        {
            return (person(), context.ApproverDescription, policy);
        }

        return policy is not null
            ? (policy, $"approvals: policy {Path.GetFileName(policy.Source)} (no terminal attached)", policy)
            : (null, "approvals: none — no terminal is attached and the spec names no approval policy, so calls that need approval are denied", null);
    }
}
