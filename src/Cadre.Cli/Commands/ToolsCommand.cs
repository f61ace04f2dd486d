using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Agents;
using Cadre.Cli.Hosting;
using Cadre.Observability;
using Cadre.OpenAI;
using Cadre.Specs;
using Cadre.Tools;
using Cadre.Workspaces;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre tools list|search|schema|call</c>: the tools of a spec (its assembly or project, MCP servers and
/// chains), found the way <c>cadre run</c> finds them.</summary>
internal static class ToolsCommand
{
    /// <summary>The agent name calls from the command line are made and audited as.</summary>
    public const string Operator = "operator";

    /// <summary><c>cadre tools</c>: <c>list</c>, <c>search</c>, <c>schema</c> and <c>call</c> a spec's tools.</summary>
    public static Command Create(CliContext context)
    {
        var listSpec = SpecOption();
        var listWorkspace = CommonOptions.Workspace();
        var category = new Option<string?>("--category", "-c") { Description = "Only tools of this category." };
        var listJson = CommonOptions.Json("Print the tools with their descriptors and parameter schemas as a JSON array.");
        var list = new Command("list", "List the tools: name, category, side effects, approval and limits.") { listSpec, listWorkspace, category, listJson };
        list.SetAction((parse, ct) => CommandGuard.RunAsync(context, () => WithToolsAsync(context, parse.GetValue(listSpec), parse.GetValue(listWorkspace)!, (host, _) =>
        {
            var name = parse.GetValue(category);
            var tools = name is null ? host.Registry.Tools : host.Registry.InCategory(name);
            if (name is not null && tools.Count == 0)
            {
                throw new UsageException($"No tool has category '{name}'. Categories: {string.Join(", ", host.Registry.Categories)}.");
            }

            Print(context, tools.Select(t => (t, (double?)null)).ToList(), parse.GetValue(listJson));
            return Task.FromResult(ExitCodes.Done);
        }, ct)));

        var searchSpec = SpecOption();
        var searchWorkspace = CommonOptions.Workspace();
        var text = new Argument<string>("text") { Description = "What you are looking for, in words (\"refund a charge\")." };
        var limit = new Option<int>("--limit") { Description = "Show at most this many tools.", DefaultValueFactory = _ => 10 };
        var searchJson = CommonOptions.Json("Print the matches with their scores as a JSON array.");
        var search = new Command("search", "Find tools by what they do: a ranked search over names, descriptions, categories and tags.") { text, searchSpec, searchWorkspace, limit, searchJson };
        search.SetAction((parse, ct) => CommandGuard.RunAsync(context, () => WithToolsAsync(context, parse.GetValue(searchSpec), parse.GetValue(searchWorkspace)!, (host, _) =>
        {
            var matches = host.Registry.Search(parse.GetValue(text)!, Math.Max(1, parse.GetValue(limit)));
            if (matches.Count == 0 && !parse.GetValue(searchJson))
            {
                context.Out.WriteLine($"No tool matches \"{parse.GetValue(text)}\". See them all with: cadre tools list");
                return Task.FromResult(ExitCodes.Done);
            }

            Print(context, matches.Select(m => (m.Tool, (double?)m.Score)).ToList(), parse.GetValue(searchJson));
            return Task.FromResult(ExitCodes.Done);
        }, ct)));

        var schemaSpec = SpecOption();
        var schemaWorkspace = CommonOptions.Workspace();
        var schemaName = new Argument<string>("name") { Description = "The tool's name." };
        var schema = new Command("schema", "Print a tool's OpenAI function schema (name, description, JSON schema of its parameters).") { schemaName, schemaSpec, schemaWorkspace };
        schema.SetAction((parse, ct) => CommandGuard.RunAsync(context, () => WithToolsAsync(context, parse.GetValue(schemaSpec), parse.GetValue(schemaWorkspace)!, (host, _) =>
        {
            var tool = Find(host, parse.GetValue(schemaName)!);
            context.Out.WriteLine(OpenAIToolSchema.Of([tool])[0]!.ToJsonString(JsonOutput.Options));
            return Task.FromResult(ExitCodes.Done);
        }, ct)));

        var callSpec = SpecOption();
        var callWorkspace = CommonOptions.Workspace();
        var callName = new Argument<string>("name") { Description = "The tool's name." };
        var arguments = new Option<string>("--args", "-a") { Description = "The arguments as a JSON object.", DefaultValueFactory = _ => "{}" };
        var callJson = CommonOptions.Json("Print the call's outcome as a JSON object.");
        var call = new Command("call", "Call a tool through the governed path (validation, approval, limits, audit). Exit 0 done, 1 failed or denied, 2 invalid arguments.") { callName, callSpec, callWorkspace, arguments, callJson };
        call.SetAction((parse, ct) => CommandGuard.RunAsync(context, () => WithToolsAsync(context, parse.GetValue(callSpec), parse.GetValue(callWorkspace)!, async (host, workspace) =>
            await CallAsync(context, host, workspace, parse.GetValue(callName)!, parse.GetValue(arguments)!, parse.GetValue(callJson), ct), ct)));

        return new Command("tools", "List, find, describe and call the tools of a spec.") { list, search, schema, call };
    }

    private static Option<string?> SpecOption() => new("--spec", "-s")
    {
        Description = "The spec file or folder whose tools to use (default: the current folder).",
    };

    private static async Task<int> WithToolsAsync(CliContext context, string? specPath, string workspacePath, Func<ToolHost, IWorkspace, Task<int>> body, CancellationToken cancellationToken)
    {
        var spec = SpecLoader.Load(context.FullPath(specPath ?? "."));
        await using var workspace = await WorkspaceLocation.OpenAsync(context.HostOptions(), workspacePath, cancellationToken);
        await using var host = await ToolHost.LoadAsync(spec, WorkspaceLocation.FolderFor(context.HostOptions(), workspace), context.HostOptions(), cancellationToken);
        return await body(host, workspace);
    }

    private static AIFunction Find(ToolHost host, string name) =>
        host.Registry.Find(name) ?? throw new UsageException(
            $"There is no tool '{name}'." + (host.Registry.Search(name, 3) is { Count: > 0 } near ? $" Did you mean: {string.Join(", ", near.Select(m => m.Tool.Name))}?" : "") + " See: cadre tools list");

    private static async Task<int> CallAsync(CliContext context, ToolHost host, IWorkspace workspace, string name, string json, bool asJson, CancellationToken cancellationToken)
    {
        Find(host, name);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"--args must be a JSON object like '{{\"invoiceId\": \"INV-1001\"}}', not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--args is not valid JSON: {ex.Message}", ex);
        }

        var console = context.CreateConsole();
        var observer = RunObserver.From(e =>
        {
            if (e is ToolApprovalDecided d && !asJson)
            {
                context.Error.WriteLine($"{(d.Approved ? "approved" : d.Escalated ? "denied and escalated" : "denied")} by {d.Approver}{(d.Reason is { Length: > 0 } r ? ": " + r : "")}");
            }
        });
        var call = FunctionCallContent.CreateFromParsedArguments(json, "cli", name,
            static text => JsonSerializer.Deserialize<Dictionary<string, object?>>(text, AIJsonUtilities.DefaultOptions));
        var agent = new AgentContext { Agent = Operator, Workspace = workspace, Time = context.Time, Observer = observer };
        var record = await host.Invoker.InvokeAsync(new ToolCallRequest(agent, call, host.Registry.Tools, 0), cancellationToken);
        if (record.Status == ToolCallStatus.Started)
        {
            // The command line waits for its background job rather than leave it to die with the process.
            await host.Invoker.WhenJobsIdleAsync().WaitAsync(cancellationToken);
            var job = (await workspace.Jobs.ListAsync("", cancellationToken)).LastOrDefault(j => j.Tool == name);
            if (job is not null)
            {
                record = record with { Status = job.Status == ToolJobStatus.Succeeded ? ToolCallStatus.Succeeded : ToolCallStatus.Failed, Result = job.Result ?? "" };
            }
        }

        var code = record.Status switch
        {
            ToolCallStatus.Succeeded or ToolCallStatus.Replayed => ExitCodes.Done,
            ToolCallStatus.InvalidArguments or ToolCallStatus.UnknownTool => ExitCodes.BadUsage,
            _ => ExitCodes.Failed,
        };
        if (asJson)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["tool"] = record.Tool,
                ["status"] = JsonNamingPolicy.CamelCase.ConvertName(record.Status.ToString()),
                ["arguments"] = JsonNode.Parse(record.Arguments),
                ["result"] = record.Result,
                ["durationMs"] = Math.Round(record.Duration.TotalMilliseconds, 1),
            }.ToJsonString(JsonOutput.Options));
        }
        else if (code == ExitCodes.Done)
        {
            context.Out.WriteLine(record.Result);
        }
        else
        {
            console.Profile.Out.Writer.Flush();
            await context.Error.WriteLineAsync(record.Result.StartsWith("Error: ", StringComparison.Ordinal) ? "error: " + record.Result[7..] : "error: " + record.Result);
        }

        return code;
    }

    private static void Print(CliContext context, List<(AIFunction Tool, double? Score)> tools, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(new JsonArray([.. tools.Select(t => (JsonNode)Describe(t.Tool, t.Score))]).ToJsonString(JsonOutput.Options));
            return;
        }

        if (tools.Count == 0)
        {
            context.Out.WriteLine("No tools. A spec names them with tools: { project: ..., assembly: ..., mcp: [...] } or chains:.");
            return;
        }

        var rows = tools.Select(t =>
        {
            var d = ToolDescriptor.Of(t.Tool);
            return new[]
            {
                t.Tool.Name,
                d.Category ?? "-",
                d.SideEffects.ToString().ToLowerInvariant(),
                Flags(d),
                t.Score is { } score ? score.ToString("0.00", CultureInfo.InvariantCulture) : null,
                LiveView.Shorten(t.Tool.Description, 80),
            }.OfType<string>().ToArray();
        }).ToList();
        var header = tools[0].Score is null
            ? new[] { "TOOL", "CATEGORY", "EFFECTS", "GOVERNANCE", "DESCRIPTION" }
            : ["TOOL", "CATEGORY", "EFFECTS", "GOVERNANCE", "SCORE", "DESCRIPTION"];
        rows.Insert(0, header);
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            context.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Flags(ToolDescriptor d)
    {
        var flags = new List<string>();
        if (d.RequiresApproval)
        {
            flags.Add("approval");
        }

        if (d.Exclusive)
        {
            flags.Add("exclusive");
        }

        if (d.LongRunning)
        {
            flags.Add("background");
        }

        if (d.Idempotent)
        {
            flags.Add("idempotent");
        }

        if (d.RateLimit is { } all)
        {
            flags.Add($"{all} calls");
        }

        if (d.RateLimitPerAgent is { } each)
        {
            flags.Add($"{each} calls per agent");
        }

        if (d.CacheTtl is { } ttl)
        {
            flags.Add($"cached {ttl.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s");
        }

        if (d.Timeout is { } timeout)
        {
            flags.Add($"timeout {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s");
        }

        return flags.Count == 0 ? "-" : string.Join(", ", flags);
    }

    private static JsonObject Describe(AIFunction tool, double? score)
    {
        var d = ToolDescriptor.Of(tool);
        var json = new JsonObject
        {
            ["name"] = tool.Name,
            ["description"] = tool.Description,
            ["category"] = d.Category,
            ["tags"] = new JsonArray([.. d.Tags.Select(t => (JsonNode)t)]),
            ["sideEffects"] = d.SideEffects.ToString().ToLowerInvariant(),
            ["requiresApproval"] = d.RequiresApproval,
            ["exclusive"] = d.Exclusive,
            ["idempotent"] = d.Idempotent,
            ["longRunning"] = d.LongRunning,
            ["rateLimit"] = d.RateLimit?.ToString(),
            ["rateLimitPerAgent"] = d.RateLimitPerAgent?.ToString(),
            ["timeoutSeconds"] = d.Timeout?.TotalSeconds,
            ["cacheSeconds"] = d.CacheTtl?.TotalSeconds,
            ["capability"] = d.Capability,
            ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
        };
        if (score is not null)
        {
            json["score"] = score;
        }

        return json;
    }
}
