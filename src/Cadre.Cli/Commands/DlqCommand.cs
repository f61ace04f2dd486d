using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cadre.Cli.Hosting;
using Cadre.Resilience;
using Spectre.Console;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre dlq list|show|retry|discard</c>: the tasks that exhausted their retries and fallbacks.</summary>
internal static class DlqCommand
{
    /// <summary><c>cadre dlq</c>: <c>list</c>, <c>show</c>, <c>retry</c> and <c>discard</c> the workspace's dead letters.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("dlq", "The dead-letter queue: tasks that exhausted their retries and fallbacks.")
        {
            List(context),
            Show(context),
            Retry(context),
            Discard(context),
        };
    }

    private static Command List(CliContext context)
    {
        var workspace = CommonOptions.Workspace();
        var all = new Option<bool>("--all") { Description = "Include dead letters already retried or discarded." };
        var json = CommonOptions.Json("Print the dead letters as a JSON array.");
        var command = new Command("list", "List dead letters, newest first (pending ones unless --all).") { workspace, all, json };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var letters = await store.DeadLetters.ListAsync(parse.GetValue(all) ? null : DeadLetterStatus.Pending, 1000, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(new JsonArray(letters.Select(l => (JsonNode?)ToJson(l, withAttempts: false)).ToArray()).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            if (letters.Count == 0)
            {
                context.Out.WriteLine(parse.GetValue(all) ? "The dead-letter queue is empty." : "No pending dead letters (see all with: cadre dlq list --all).");
                return ExitCodes.Done;
            }

            var rows = letters.Select(l => new[]
            {
                l.Id,
                Status(l.Status),
                l.RunId,
                l.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                l.Attempts.Count.ToString(CultureInfo.InvariantCulture),
                LiveView.Shorten(l.Error, 70),
            }).Prepend(["DEAD LETTER", "STATUS", "RUN", "CREATED (UTC)", "ATTEMPTS", "ERROR"]).ToList();
            var widths = Enumerable.Range(0, 6).Select(i => rows.Max(r => r[i].Length)).ToArray();
            foreach (var row in rows)
            {
                context.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == 5 ? cell : cell.PadRight(widths[i]))).TrimEnd());
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The dead letter's id (or a unique prefix)." };
        var workspace = CommonOptions.Workspace();
        var json = CommonOptions.Json("Print the dead letter, its inputs and every attempt as one JSON object.");
        var command = new Command("show", "Show a dead letter: its task, inputs, every failed attempt and the final error.") { id, workspace, json };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var letter = await DeadLetterLookup.FindAsync(store.DeadLetters, parse.GetValue(id)!, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(ToJson(letter, withAttempts: true).ToJsonString(JsonOutput.Options));
                return ExitCodes.Done;
            }

            var console = context.CreateConsole();
            console.MarkupLine($"[bold]dead letter {Markup.Escape(letter.Id)}[/] · {Status(letter.Status)} · run {Markup.Escape(letter.RunId)} ({Markup.Escape(letter.Workflow)}) step {letter.Step}{(letter.Agent is null ? "" : " · " + Markup.Escape(letter.Agent))}");
            console.MarkupLine($"[grey]task:[/] {Markup.Escape(letter.Task)}");
            console.MarkupLine($"[grey]created:[/] {letter.CreatedAt:yyyy-MM-dd HH:mm:ss}Z");
            console.MarkupLine($"[red]error:[/] {Markup.Escape(letter.Error)} [grey]({Markup.Escape(letter.ErrorType)})[/]");
            foreach (var (key, value) in letter.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                console.MarkupLine($"[grey]input {Markup.Escape(key)}:[/] {Markup.Escape(LiveView.Shorten(value, 200))}");
            }

            console.MarkupLine($"[bold]{letter.Attempts.Count} failed attempts[/]");
            foreach (var attempt in letter.Attempts)
            {
                var where = attempt.Level is null ? attempt.Provider : $"{attempt.Level} ({attempt.Provider})";
                console.MarkupLine($"  [grey]{attempt.At:HH:mm:ss.fff}[/] {Markup.Escape(where)}{(attempt.Attempt > 0 ? $" #{attempt.Attempt}" : "")}: {Markup.Escape(attempt.Error)}");
            }

            if (letter.Resolution is not null)
            {
                console.MarkupLine($"[grey]resolution:[/] {Markup.Escape(letter.Resolution)}");
            }
            else
            {
                console.MarkupLine($"[grey]retry it with:[/] cadre dlq retry {Markup.Escape(letter.Id)}   [grey]or discard it with:[/] cadre dlq discard {Markup.Escape(letter.Id)}");
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command Retry(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The dead letter's id (or a unique prefix)." };
        var spec = new Option<string?>("--spec") { Description = "The spec to retry with; the one the run was started with by default." };
        var model = CommonOptions.Model();
        var workspace = CommonOptions.Workspace();
        var json = CommonOptions.Json("Print the retried run as one JSON object instead of the live view.");
        var command = new Command("retry", "Retry a dead letter: resume its run from the last checkpoint (side effects already done are not repeated).") { id, spec, model, workspace, json };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, () =>
            new ConsoleRun(context).RetryAsync(
                new RunHost.Settings(parse.GetValue(spec) ?? "", parse.GetValue(workspace)!, parse.GetValue(model)),
                parse.GetValue(json),
                parse.GetValue(id)!,
                cancellationToken)));
        return command;
    }

    private static Command Discard(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The dead letter's id (or a unique prefix)." };
        var reason = new Option<string?>("--reason") { Description = "Why it is discarded (kept with it)." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("discard", "Discard a dead letter: it stays on record but is no longer pending.") { id, reason, workspace };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            await using var store = await WorkspaceLocation.OpenAsync(context.HostOptions(), parse.GetValue(workspace)!, cancellationToken);
            var letter = await DeadLetterLookup.FindAsync(store.DeadLetters, parse.GetValue(id)!, cancellationToken);
            if (letter.Status != DeadLetterStatus.Pending)
            {
                throw new UsageException($"Dead letter {letter.Id} was already {Status(letter.Status)} ({letter.Resolution}).");
            }

            var why = parse.GetValue(reason);
            await store.DeadLetters.ResolveAsync(letter.Id, DeadLetterStatus.Discarded, "discarded" + (string.IsNullOrWhiteSpace(why) ? "" : ": " + why), context.Time.GetUtcNow(), cancellationToken);
            context.Out.WriteLine($"discarded {letter.Id}");
            return ExitCodes.Done;
        }));
        return command;
    }

    private static string Status(DeadLetterStatus status) => status.ToString().ToLowerInvariant();

    private static JsonObject ToJson(DeadLetter letter, bool withAttempts)
    {
        var json = new JsonObject
        {
            ["id"] = letter.Id,
            ["status"] = Status(letter.Status),
            ["runId"] = letter.RunId,
            ["workflow"] = letter.Workflow,
            ["task"] = letter.Task,
            ["step"] = letter.Step,
            ["agent"] = letter.Agent,
            ["error"] = letter.Error,
            ["errorType"] = letter.ErrorType,
            ["createdAt"] = letter.CreatedAt.ToString("o", CultureInfo.InvariantCulture),
            ["resolvedAt"] = letter.ResolvedAt?.ToString("o", CultureInfo.InvariantCulture),
            ["resolution"] = letter.Resolution,
            ["attemptCount"] = letter.Attempts.Count,
        };
        if (withAttempts)
        {
            json["inputs"] = new JsonObject(letter.Inputs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            json["attempts"] = new JsonArray(letter.Attempts.Select(a => (JsonNode?)new JsonObject
            {
                ["at"] = a.At.ToString("o", CultureInfo.InvariantCulture),
                ["provider"] = a.Provider,
                ["level"] = a.Level,
                ["attempt"] = a.Attempt,
                ["error"] = a.Error,
                ["errorType"] = a.ErrorType,
            }).ToArray());
        }

        return json;
    }
}
