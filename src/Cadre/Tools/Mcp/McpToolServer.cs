using System.Text;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Cadre.Tools.Mcp;

/// <summary>
/// A connection to an MCP server — a command started as a process and spoken to over stdio, or an HTTP URL — and every
/// tool it offers, imported as <see cref="AIFunction"/>s with <see cref="ToolDescriptor"/>s read from the tools'
/// annotations: read-only tools have no side effects, non-destructive ones reversible side effects, the rest (MCP's
/// default) irreversible ones; idempotent tools may be retried. Dispose it to stop the server process.
/// </summary>
public sealed class McpToolServer : IAsyncDisposable
{
    private McpToolServer(string source, McpClient client, IReadOnlyList<AIFunction> tools)
    {
        Source = source;
        Client = client;
        Tools = tools;
    }

    /// <summary>The command or URL the server was reached at.</summary>
    public string Source { get; }

    /// <summary>The server's name (from its handshake), or the command's name.</summary>
    public string Name => Client.ServerInfo?.Name ?? Source;

    /// <summary>The MCP client session.</summary>
    public McpClient Client { get; }

    /// <summary>The tools the server listed when connecting, in its order, each named with
    /// <see cref="McpConnectOptions.NamePrefix"/> and called through <see cref="Client"/>; the list is not refreshed
    /// when the server's tools change, and the tools stop working once this is disposed.</summary>
    public IReadOnlyList<AIFunction> Tools { get; }

    /// <summary>Connects to a server and imports its tools.</summary>
    /// <param name="server">An <c>http://</c> or <c>https://</c> URL, or a command line (<c>npx -y some-server</c>,
    /// <c>dotnet server.dll --flag "a b"</c>).</param>
    /// <param name="options">Category, name prefix, working folder.</param>
    /// <param name="cancellationToken">Cancels connecting and listing the tools; the call then throws
    /// <see cref="OperationCanceledException"/> (running past <see cref="McpConnectOptions.ConnectTimeout"/> throws
    /// <see cref="McpImportException"/> instead).</param>
    /// <returns>The connected server with its tools imported; the caller owns it and disposes it to stop the server
    /// process.</returns>
    /// <exception cref="McpImportException">The server cannot be started or reached, or does not answer as an MCP
    /// server; the message says which and why.</exception>
    public static async Task<McpToolServer> ConnectAsync(string server, McpConnectOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(server);
        options ??= new McpConnectOptions();
        var transport = CreateTransport(server.Trim(), options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new McpImportException($"The MCP server '{server}' did not answer within {options.ConnectTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new McpImportException($"Cannot connect to the MCP server '{server}': {ex.Message}", ex);
        }

        try
        {
            // The same deadline covers listing: a server that connects and then never lists its tools is not waited on.
            var listed = await client.ListToolsAsync(cancellationToken: timeout.Token);
            var category = options.Category ?? client.ServerInfo?.Name ?? FirstWord(server);
            var tools = listed.Select(tool => Describe(new McpTool(options.NamePrefix is null ? tool : tool.WithName(options.NamePrefix + tool.Name)), tool.ProtocolTool, category, options)).ToList();
            return new McpToolServer(server, client, tools);
        }
        catch (Exception ex)
        {
            // Whatever ends the import (the caller cancelling too) stops the server process or closes the session.
            await client.DisposeAsync();
            if (ex is OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new McpImportException($"The MCP server '{server}' did not list its tools within {options.ConnectTimeout.TotalSeconds:0} s.", ex);
            }

            throw new McpImportException($"The MCP server '{server}' did not list its tools: {ex.Message}", ex);
        }
    }

    /// <summary>Splits a command line into the command and its arguments: spaces separate, double or single quotes
    /// group, a backslash escapes the next character inside double quotes.</summary>
    /// <param name="commandLine">The command and its arguments in one string; nothing is expanded (no variables,
    /// globs or pipes).</param>
    /// <returns>The command first, then its arguments, quotes removed; empty when the line is blank.</returns>
    /// <exception cref="McpImportException">A quote is not closed.</exception>
    public static IReadOnlyList<string> SplitCommandLine(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var parts = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else if (c == '\\' && quote == '"' && i + 1 < commandLine.Length)
                {
                    current.Append(commandLine[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new McpImportException($"The command line '{commandLine}' has an unclosed {quote} quote.");
        }

        if (inWord)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }

    /// <summary>The variables a server command gets from this process when it does not inherit them all: what
    /// processes need to start (PATH, HOME, user, shell, terminal, locale, the temp folder, DOTNET_ROOT), never
    /// keys or tokens.</summary>
    /// <returns>Name → value of those that are set.</returns>
    public static Dictionary<string, string?> MinimalEnvironment()
    {
        var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        foreach (var name in new[] { "LANG", "LANGUAGE", "TMPDIR", "TMP", "TEMP", "DOTNET_ROOT", "TZ" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (System.Collections.DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("LC_", StringComparison.Ordinal))
            {
                environment[name] = variable.Value as string;
            }
        }

        return environment;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private static IClientTransport CreateTransport(string server, McpConnectOptions options)
    {
        if (Uri.TryCreate(server, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, Name = url.Host, ConnectionTimeout = options.ConnectTimeout });
        }

        var parts = SplitCommandLine(server).Concat(options.Arguments).ToList();
        if (parts.Count == 0)
        {
            throw new McpImportException("An MCP server is a command line or an http(s) URL; this one is empty.");
        }

        // A relative command path (./server) is relative to the working folder (the spec's), not to wherever cadre runs.
        var command = options.WorkingDirectory is { } folder && !Path.IsPathRooted(parts[0]) && parts[0].Contains('/', StringComparison.Ordinal)
            ? Path.GetFullPath(parts[0], folder)
            : parts[0];
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = command,
            Arguments = [.. parts.Skip(1)],
            Name = Path.GetFileNameWithoutExtension(parts[0]),
            WorkingDirectory = options.WorkingDirectory,
            InheritEnvironmentVariables = options.InheritEnvironment,
            EnvironmentVariables = options.InheritEnvironment
                ? options.Environment.ToDictionary()
                : MinimalEnvironment().Concat(options.Environment).GroupBy(v => v.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
            StandardErrorLines = options.ServerLog,
        });
    }

    private static AIFunction Describe(AIFunction tool, Tool protocol, string category, McpConnectOptions options)
    {
        var hints = protocol.Annotations;
        var effects = hints?.ReadOnlyHint == true ? SideEffects.None
            : hints?.DestructiveHint == false ? SideEffects.Reversible
            : SideEffects.Irreversible;
        return new ToolDescriptor
        {
            Category = category,
            Tags = ["mcp"],
            SideEffects = effects,
            Idempotent = hints?.IdempotentHint == true,
            Timeout = options.Timeout,
            // A destructive tool (MCP's default for one that is not read-only) is approved first unless told otherwise.
            RequiresApproval = options.RequiresApproval ?? effects == SideEffects.Irreversible,
        }.Attach(tool);
    }

    private static string FirstWord(string server)
    {
        var parts = SplitCommandLine(server);
        return parts.Count == 0 ? "mcp" : Path.GetFileNameWithoutExtension(parts[0]);
    }
}
