using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Cli.Hosting;
using Cadre.Embeddings;
using Cadre.Memory;
using Cadre.Memory.Knowledge;
using Cadre.Memory.Shared;
using Cadre.Models;
using Cadre.Workspaces;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre memory add|search|forget|list|facts|assert|episodes|audit</c>: the workspace's memory from the
/// command line, every command within a <c>--scope</c>, with <c>--json</c> for scripts.</summary>
internal static class MemoryCommand
{
    /// <summary><c>cadre memory</c>: add, search, forget, list, facts, assert, episodes, audit, import and reembed the workspace's memory.</summary>
    public static Command Create(CliContext context) => new("memory", "Inspect and change the workspace's long-term, episodic, semantic and shared memory.")
    {
        Add(context), Search(context), Forget(context), List(context), Facts(context), Assert(context), Episodes(context), Audit(context),
        Import(context), Reembed(context),
    };

    private static Option<string> ScopeOption() => new("--scope", "-s")
    {
        Description = "The memory scope: tenant, tenant/team, tenant/team/agent or tenant//agent.",
        DefaultValueFactory = _ => MemoryScope.DefaultTenant,
    };

    private static Option<string[]> MetadataOption(string name, string description) => new(name) { Description = description, AllowMultipleArgumentsPerToken = false };

    private sealed record Common(Option<string> Workspace, Option<string> Scope, Option<bool> Json, Option<string?> Embeddings);

    private static Command Define(string name, string description, string json, out Common common)
    {
        common = new Common(CommonOptions.Workspace(), ScopeOption(), CommonOptions.Json(json), CommonOptions.Embeddings());
        return new Command(name, description) { common.Workspace, common.Scope, common.Json, common.Embeddings };
    }

    private static void Act(Command command, CliContext context, Common common, Func<System.CommandLine.ParseResult, WorkspaceMemory, MemoryScope, bool, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            var scope = ParseScope(parse.GetValue(common.Scope)!);
            var embeddings = EmbeddingCatalog.Parse(parse.GetValue(common.Embeddings), new ModelOptions { GetEnvironmentVariable = context.GetEnvironmentVariable, Time = context.Time });
            await using var workspace = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(common.Workspace)!, cancellationToken);
            return await body(parse, workspace.Memory.WithEmbeddings(embeddings).WithTime(context.Time), scope, parse.GetValue(common.Json), cancellationToken);
        }));

    private static Command Import(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "JSON lines of memories ({\"text\": ..., \"metadata\": {...}, \"importance\": 0.5}), or a conversation file in the LoCoMo layout." };
        var command = Define("import", "Store the memories of a file in a scope, with progress; Ctrl+C stops, and importing again resumes (stored memories are not duplicated).", "Print what was imported as JSON.", out var common);
        command.Add(file);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var path = context.FullPath(parse.GetValue(file)!);
            IReadOnlyList<MemoryRecord> records;
            try
            {
                records = MemoryImport.Read(path, scope);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException(ex.Message, ex);
            }

            var added = 0;
            var duplicates = 0;
            await BulkProgress.RunAsync(context, json, $"importing {records.Count:N0} memories into {scope}", records.Count, async (advance, token) =>
            {
                foreach (var batch in records.Chunk(MemoryImport.BatchSize))
                {
                    token.ThrowIfCancellationRequested();
                    var results = await memory.LongTerm.StoreManyAsync(batch, token);
                    added += results.Count(r => r.Status == MemoryWriteStatus.Added);
                    duplicates += results.Count(r => r.Status == MemoryWriteStatus.Duplicate);
                    advance(batch.Length, null);
                }
            }, cancellationToken);
            context.Out.WriteLine(json
                ? new JsonObject { ["file"] = path, ["scope"] = scope.ToString(), ["read"] = records.Count, ["added"] = added, ["duplicates"] = duplicates, ["embeddings"] = memory.LongTerm.EmbeddingModel }.ToJsonString(JsonOutput.Options)
                : $"imported {added:N0} memories into {scope} ({duplicates:N0} already stored) with {memory.LongTerm.EmbeddingModel}");
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Reembed(CliContext context)
    {
        var command = Define("reembed", "Embed again, with the chosen embedder, every memory of a scope that another model embedded; Ctrl+C stops, and running again resumes.", "Print how many memories were embedded again as JSON.", out var common);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var done = 0;
            await BulkProgress.RunAsync(context, json, $"embedding {scope} again with {memory.LongTerm.EmbeddingModel}", null, async (advance, token) =>
            {
                var reported = 0;
                done = await memory.LongTerm.ReindexAsync(scope, new BulkProgress.Reporter<ReindexProgress>(p =>
                {
                    advance(p.Done - reported, p.Total);
                    reported = p.Done;
                }), token);
            }, cancellationToken);
            context.Out.WriteLine(json
                ? new JsonObject { ["scope"] = scope.ToString(), ["reembedded"] = done, ["embeddings"] = memory.LongTerm.EmbeddingModel }.ToJsonString(JsonOutput.Options)
                : $"embedded {done:N0} memories of {scope} again with {memory.LongTerm.EmbeddingModel}");
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Add(CliContext context)
    {
        var text = new Argument<string>("text") { Description = "What to remember, in quotes." };
        var meta = MetadataOption("--meta", "A label key=value (repeatable), to filter by later.");
        var importance = new Option<double>("--importance") { Description = "How much it matters, 0 to 1.", DefaultValueFactory = _ => 0.5 };
        var command = Define("add", "Store a memory (an exact duplicate in the scope is not stored again).", "Print the stored memory as JSON.", out var common);
        command.Add(text);
        command.Add(meta);
        command.Add(importance);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var what = parse.GetValue(text)!;
            if (what.Length > LongTermMemory.MaxTextLength)
            {
                throw new UsageException($"the text argument of 'memory add' has {what.Length:N0} characters; a memory holds at most {LongTermMemory.MaxTextLength:N0}. Store a summary or split it.");
            }

            var result = await memory.LongTerm.StoreAsync(what, ParsePairs(parse.GetValue(meta), "--meta"), scope,
                CheckImportance(parse.GetValue(importance)), MemorySource.CommandLine, cancellationToken);
            if (json)
            {
                var output = MemoryReport.ToJson(result.Record!);
                output["status"] = result.Status.ToString().ToLowerInvariant();
                context.Out.WriteLine(output.ToJsonString(JsonOutput.Options));
            }
            else
            {
                context.Out.WriteLine(result.Status == MemoryWriteStatus.Added
                    ? $"stored {result.Record!.Id} in {scope}"
                    : $"already remembered as {result.Record!.Id} in {result.Record.Scope}: {result.Record.Text}");
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Search(CliContext context)
    {
        var query = new Argument<string>("query") { Description = "What to recall, in quotes." };
        var k = new Option<int>("--k") { Description = "How many memories.", DefaultValueFactory = _ => 5 };
        var filter = MetadataOption("--filter", "Only memories with this label key=value (repeatable).");
        var mode = new Option<string>("--mode") { Description = "hybrid (default), keyword or vector.", DefaultValueFactory = _ => "hybrid" };
        mode.AcceptOnlyFromAmong("hybrid", "keyword", "vector");
        var trusted = new Option<bool>("--trusted") { Description = "Only memories from trusted sources (the operator, imports), none a conversation, model or tool wrote." };
        var command = Define("search", "Recall the memories most relevant to a query (BM25 and vector search fused by reciprocal rank).", "Print the memories as a JSON array.", out var common);
        command.Add(query);
        command.Add(k);
        command.Add(filter);
        command.Add(mode);
        command.Add(trusted);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var recalled = await memory.LongTerm.RecallAsync(new MemoryQuery
            {
                Text = parse.GetValue(query)!,
                Scope = scope,
                K = Math.Max(1, parse.GetValue(k)),
                Filter = new MemoryFilter { Metadata = ParsePairs(parse.GetValue(filter), "--filter"), TrustedOnly = parse.GetValue(trusted) },
                Mode = Enum.Parse<RetrievalMode>(parse.GetValue(mode)!, ignoreCase: true),
            }, cancellationToken);
            if (json)
            {
                context.Out.WriteLine(new JsonArray(recalled.Select(r => (JsonNode?)MemoryReport.ToJson(r)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (recalled.Count == 0)
            {
                context.Out.WriteLine($"Nothing in scope {scope} matches. Add memories with: cadre memory add \"<text>\" --scope {scope}");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["ID", "SCORE", "MATCHED", "SCOPE", "SOURCE", "TEXT"], recalled.Select(r => new[]
            {
                r.Record.Id,
                MemoryReport.Number(r.Score),
                string.Join('+', new[] { r.KeywordRank is { } kr ? $"keyword#{kr}" : null, r.VectorRank is { } vr ? $"vector#{vr}" : null }.OfType<string>()),
                r.Record.Scope.ToString(),
                r.Record.Source?.ToString() ?? "",
                r.Record.Text,
            }));
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Forget(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The memory's id (m-…)." };
        var command = Define("forget", "Forget (delete) a memory.", "Print the result as JSON.", out var common);
        command.Add(id);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var memoryId = parse.GetValue(id)!;
            var forgotten = await memory.LongTerm.ForgetAsync(memoryId, scope, cancellationToken);
            if (json)
            {
                context.Out.WriteLine(new JsonObject { ["id"] = memoryId, ["forgotten"] = forgotten }.ToJsonString(JsonOutput.Options));
            }
            else if (forgotten)
            {
                context.Out.WriteLine($"forgot {memoryId}");
            }

            if (!forgotten)
            {
                await context.Error.WriteLineAsync($"error: no memory {memoryId} in scope {scope}. See: cadre memory list --scope {scope}");
                return ExitCodes.Failed;
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var limit = new Option<int>("--limit") { Description = "Show at most this many (newest first).", DefaultValueFactory = _ => 20 };
        var filter = MetadataOption("--filter", "Only memories with this label key=value (repeatable).");
        var command = Define("list", "List the memories a scope sees, newest first.", "Print the memories as a JSON array.", out var common);
        command.Add(limit);
        command.Add(filter);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var records = await memory.LongTerm.ListAsync(scope, new MemoryFilter { Metadata = ParsePairs(parse.GetValue(filter), "--filter") },
                Math.Max(1, parse.GetValue(limit)), 0, cancellationToken);
            if (json)
            {
                context.Out.WriteLine(new JsonArray(records.Select(r => (JsonNode?)MemoryReport.ToJson(r)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (records.Count == 0)
            {
                context.Out.WriteLine($"No memories in scope {scope} yet. Add one with: cadre memory add \"<text>\" --scope {scope}");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["ID", "SCOPE", "CREATED (UTC)", "IMPORTANCE", "SOURCE", "TEXT"], records.Select(r => new[]
            {
                r.Id, r.Scope.ToString(), MemoryReport.Time(r.CreatedAt), MemoryReport.Number(r.Importance), r.Source?.ToString() ?? "", r.Text,
            }));
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Facts(CliContext context)
    {
        var entity = new Argument<string>("entity") { Description = "The entity's name (any case)." };
        var relation = new Option<string?>("--relation") { Description = "Only facts of this relation." };
        var at = new Option<string?>("--at") { Description = "The facts true at this date or time (ISO 8601), instead of now." };
        var history = new Option<bool>("--history") { Description = "Also the superseded facts." };
        var command = Define("facts", "Show what the knowledge graph knows about an entity: its facts and related entities.", "Print the entity, facts and related entities as JSON.", out var common);
        command.Add(entity);
        command.Add(relation);
        command.Add(at);
        command.Add(history);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var graph = memory.Knowledge;
            var name = parse.GetValue(entity)!;
            var when = ParseTime(parse.GetValue(at));
            var known = await graph.GetEntityAsync(name, scope, cancellationToken);
            var facts = await graph.FactsAboutAsync(name, scope, parse.GetValue(relation), when, parse.GetValue(history), cancellationToken);
            var related = await graph.RelatedAsync(name, scope, FactDirection.Incoming, parse.GetValue(relation), when, cancellationToken);
            if (json)
            {
                context.Out.WriteLine(new JsonObject
                {
                    ["entity"] = known is null ? null : new JsonObject { ["name"] = known.Name, ["type"] = known.Type, ["description"] = known.Description, ["scope"] = known.Scope.ToString() },
                    ["facts"] = new JsonArray(facts.Select(f => (JsonNode?)MemoryReport.ToJson(f)).ToArray()),
                    ["referencedBy"] = new JsonArray(related.Select(r => (JsonNode?)MemoryReport.ToJson(r.Fact)).ToArray()),
                }.ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (known is null && facts.Count == 0)
            {
                var similar = await graph.FindEntitiesAsync(name, scope, 5, cancellationToken);
                context.Out.WriteLine($"The knowledge graph of scope {scope} knows nothing about '{name}'." +
                    (similar.Count > 0 ? $" Did you mean: {string.Join(", ", similar.Select(e => e.Name))}?" : ""));
                return ExitCodes.Done;
            }

            var heading = known is null ? name : known.Name + (known.Type.Length > 0 ? $" ({known.Type})" : "");
            context.Out.WriteLine(heading + (known?.Description.Length > 0 ? " — " + known.Description : ""));
            foreach (var fact in facts)
            {
                var validity = fact.ValidTo is { } to ? $"{MemoryReport.Time(fact.ValidFrom)} → {MemoryReport.Time(to)}, superseded" : $"since {MemoryReport.Time(fact.ValidFrom)}";
                context.Out.WriteLine($"  —{fact.Relation}→ {fact.Object}  ({validity}; {fact.Source?.ToString() ?? "unknown source"}; {fact.Id})");
            }

            foreach (var other in related)
            {
                context.Out.WriteLine($"  ←{other.Relation}— {other.Name}  ({other.Fact.Id})");
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Assert(CliContext context)
    {
        var subject = new Argument<string>("subject") { Description = "The subject entity." };
        var relation = new Argument<string>("relation") { Description = "The relation (works_at, prefers_contact, ...)." };
        var @object = new Argument<string>("object") { Description = "The object: an entity, or a value with --value." };
        var value = new Option<bool>("--value") { Description = "The object is a value (a date, a word), not an entity." };
        var replaces = new Option<bool>("--replaces") { Description = "The subject holds one object for this relation: supersede the current one." };
        var from = new Option<string?>("--valid-from") { Description = "When it became true (ISO 8601); now by default." };
        var command = Define("assert", "Add a fact subject —relation→ object to the knowledge graph.", "Print the fact and what it superseded as JSON.", out var common);
        command.Add(subject);
        command.Add(relation);
        command.Add(@object);
        command.Add(value);
        command.Add(replaces);
        command.Add(from);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var write = await memory.Knowledge.AssertAsync(parse.GetValue(subject)!, parse.GetValue(relation)!, parse.GetValue(@object)!, scope, new FactOptions
            {
                ObjectIsValue = parse.GetValue(value),
                Exclusive = parse.GetValue(replaces),
                ValidFrom = ParseTime(parse.GetValue(from)),
                Source = MemorySource.CommandLine,
            }, cancellationToken);
            if (json)
            {
                context.Out.WriteLine(new JsonObject
                {
                    ["fact"] = MemoryReport.ToJson(write.Fact),
                    ["added"] = write.Added,
                    ["superseded"] = new JsonArray(write.Superseded.Select(f => (JsonNode?)MemoryReport.ToJson(f)).ToArray()),
                }.ToJsonString(JsonOutput.Options));
            }
            else
            {
                context.Out.WriteLine(write.Added ? $"recorded {write.Fact.Id}: {write.Fact}" : $"already known as {write.Fact.Id}: {write.Fact}");
                foreach (var old in write.Superseded)
                {
                    context.Out.WriteLine($"superseded {old.Id}: {old}");
                }
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Episodes(CliContext context)
    {
        var similar = new Option<string?>("--similar") { Description = "Rank episodes by similarity to this task (and recency) and show their lessons." };
        var limit = new Option<int>("--limit") { Description = "Show at most this many.", DefaultValueFactory = _ => 10 };
        var command = Define("episodes", "List the recorded episodes (one per run), or those most like a task.", "Print the episodes as a JSON array.", out var common);
        command.Add(similar);
        command.Add(limit);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var episodes = memory.Episodes;
            var count = Math.Max(1, parse.GetValue(limit));
            var ranked = parse.GetValue(similar) is { } task
                ? await episodes.RecallSimilarAsync(task, scope, count, cancellationToken)
                : (await episodes.ListAsync(scope, count, cancellationToken)).Select(e => new Memory.Episodes.SimilarEpisode(e, double.NaN, double.NaN)).ToList();
            if (json)
            {
                context.Out.WriteLine(new JsonArray(ranked.Select(r => (JsonNode?)MemoryReport.ToJson(r.Episode, double.IsNaN(r.Score) ? null : r.Score)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (ranked.Count == 0)
            {
                context.Out.WriteLine($"No episodes in scope {scope}{(parse.GetValue(similar) is null ? "" : " like that task")}. Every run records one (memory.episodes in the spec).");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["EPISODE", "RECORDED (UTC)", "OUTCOME", "TYPE", "SCORE", "AGENTS", "TASK"], ranked.Select(r => new[]
            {
                r.Episode.Id, MemoryReport.Time(r.Episode.RecordedAt), r.Episode.Outcome.ToString().ToLowerInvariant(), r.Episode.TaskType,
                double.IsNaN(r.Score) ? "" : MemoryReport.Number(r.Score), string.Join(" → ", r.Episode.Agents), LiveView.Shorten(r.Episode.Task, 70),
            }));
            var lessons = Memory.Episodes.EpisodicMemory.LessonsOf(ranked).ToList();
            if (lessons.Count > 0)
            {
                context.Out.WriteLine();
                context.Out.WriteLine("Lessons:");
                foreach (var lesson in lessons)
                {
                    context.Out.WriteLine("  - " + lesson);
                }
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Audit(CliContext context)
    {
        var key = new Argument<string?>("key") { Description = "Only this blackboard key.", Arity = ArgumentArity.ZeroOrOne };
        var ns = new Option<string?>("--namespace") { Description = "Only this namespace (shared, team:<name>, agent:<name>)." };
        var limit = new Option<int>("--limit") { Description = "Show at most this many (newest first).", DefaultValueFactory = _ => 50 };
        var command = Define("audit", "Show the blackboard's audit trail: who changed which key, when, from what to what.", "Print the entries as a JSON array.", out var common);
        command.Add(key);
        command.Add(ns);
        command.Add(limit);
        Act(command, context, common, async (parse, memory, scope, json, cancellationToken) =>
        {
            var board = memory.Blackboard(scope, BlackboardActor.Operator("cli"));
            var entries = await board.AuditAsync(parse.GetValue(ns), parse.GetValue(key), Math.Max(1, parse.GetValue(limit)), cancellationToken);
            if (json)
            {
                context.Out.WriteLine(new JsonArray(entries.Select(e => (JsonNode?)MemoryReport.ToJson(e)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (entries.Count == 0)
            {
                context.Out.WriteLine($"The blackboard of scope {scope} has no writes{(parse.GetValue(key) is { } k ? $" to '{k}'" : "")}.");
                return ExitCodes.Done;
            }

            TextTable.Write(context.Out, ["#", "AT (UTC)", "ACTOR", "NAMESPACE", "KEY", "VERSION", "CHANGE"], entries.Select(e => new[]
            {
                e.Sequence.ToString(CultureInfo.InvariantCulture), MemoryReport.Time(e.At), e.Actor, e.Namespace, e.Key, e.Version.ToString(CultureInfo.InvariantCulture),
                $"{LiveView.Shorten(e.OldJson ?? "(new)", 40)} → {LiveView.Shorten(e.NewJson, 60)}",
            }));
            return ExitCodes.Done;
        });
        return command;
    }

    private static MemoryScope ParseScope(string text)
    {
        try
        {
            return MemoryScope.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }

    private static Dictionary<string, string> ParsePairs(string[]? pairs, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new UsageException($"{option} takes key=value, not '{pair}'.");
            }

            result[pair[..at].Trim()] = pair[(at + 1)..].Trim();
        }

        return result;
    }

    private static double CheckImportance(double importance) =>
        importance is >= 0 and <= 1 ? importance : throw new UsageException($"--importance is a number from 0 to 1, not {importance.ToString(CultureInfo.InvariantCulture)}.");

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new UsageException($"'{text}' is not a date or time; write it like 2026-11-01 or 2026-11-01T09:30Z.");
    }
}
