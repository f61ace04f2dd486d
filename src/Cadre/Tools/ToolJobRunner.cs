using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cadre.Conversations;
using Microsoft.Extensions.AI;

namespace Cadre.Tools;

/// <summary>Runs the calls of long-running tools as background jobs for a governed pipeline: one job
/// per idempotency key, kept in the job store, cancelled with the run that started it, and started again when a
/// stopped process left it running.</summary>
internal sealed class ToolJobRunner(ToolGovernance governance, IToolJobStore? store)
{
    public const string StatusToolName = "job_status";
    private const int MaxResultInContext = 2000;
    private readonly InMemoryToolJobStore _local = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>Runs a job's call: the steps below the background-job step (set by that step).</summary>
    public Func<GovernedCall, CancellationToken, ValueTask<ToolCallRecord>>? Execute { get; set; }

    public IToolJobStore StoreFor(ToolCallContext context) => store ?? context.Jobs ?? _local;

    public async Task<ToolCallRecord> StartAsync(ToolState state, GovernedCall outcome, CancellationToken cancellationToken)
    {
        var request = outcome.Detached;
        var arguments = outcome.Arguments;
        var context = request.Context;
        var call = request.Call;
        var jobs = StoreFor(context);
        var time = governance.Time;
        var stored = await jobs.AddAsync(new ToolJob
        {
            Id = ToolJob.IdFor(request.IdempotencyKey),
            Key = request.IdempotencyKey,
            RunId = context.RunId,
            Step = context.Step,
            Agent = context.Agent,
            Tool = state.Tool.Name,
            Arguments = arguments,
            Status = ToolJobStatus.Running,
            StartedAt = time.GetUtcNow(),
        }, cancellationToken);
        if (stored.IsFinished)
        {
            outcome.Detail = $"job {stored.Id} had already finished";
            return new ToolCallRecord(call.CallId, call.Name, arguments, stored.Status == ToolJobStatus.Succeeded ? ToolCallStatus.Replayed : ToolCallStatus.Failed, stored.Result ?? "", TimeSpan.Zero);
        }

        Launch(state, request, stored, jobs, cancellationToken);
        outcome.Detail = $"job {stored.Id}";
        return new ToolCallRecord(call.CallId, call.Name, arguments, ToolCallStatus.Started,
            $"Started job {stored.Id}: '{call.Name}' runs in the background. Its result will be shown to you when it is ready; " +
            $"you can also ask with {StatusToolName}(job_id: \"{stored.Id}\"). Carry on with other work meanwhile.",
            TimeSpan.Zero);
    }

    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_running.Values);
        }
    }

    public AIFunction CreateStatusTool(string name) => new StatusTool(this, name);


    private async Task<JsonObject> StatusAsync(string id, AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var scope = ToolCallScope.Of(arguments);
        var context = scope?.Request.Context ?? ToolCallContext.Current ?? new ToolCallContext { Agent = "" };
        var jobs = StoreFor(context);
        var job = await jobs.FindAsync(id.Trim(), cancellationToken);
        if (job is null || job.RunId != context.RunId)
        {
            var mine = (await jobs.ListAsync(context.RunId, cancellationToken)).Select(j => j.Id).ToList();
            throw new ArgumentException($"there is no job '{id}' in this run. Jobs: {(mine.Count == 0 ? "none" : string.Join(", ", mine))}.");
        }

        if (!job.IsFinished && !IsTracked(job.Id) && scope is not null)
        {
            Adopt(job, scope, jobs);
        }

        return new JsonObject
        {
            ["job_id"] = job.Id,
            ["tool"] = job.Tool,
            ["status"] = job.Status.ToString().ToLowerInvariant(),
            ["result"] = job.Result,
            ["started_at"] = job.StartedAt.ToString("o", CultureInfo.InvariantCulture),
            ["ended_at"] = job.EndedAt?.ToString("o", CultureInfo.InvariantCulture),
        };
    }

    // A job the store says is running that no one here runs was left by a process that stopped: start it again under
    // its own key, so a side effect it completed is replayed from the ledger rather than repeated.
    private void Adopt(ToolJob job, ToolCallScope scope, IToolJobStore jobs)
    {
        var cut = job.Key.LastIndexOf('/');
        if (cut < 0 || !int.TryParse(job.Key[(cut + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            return;
        }

        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(job.Arguments, AIJsonUtilities.DefaultOptions);
        var request = scope.Request with
        {
            Context = scope.Request.Context with { Agent = job.Agent, Step = job.Step },
            Call = new FunctionCallContent(job.Id, job.Tool, arguments),
            Index = index,
            Parent = job.Key[..cut],
        };
        if (governance.Resolve(request) is { } tool)
        {
            Launch(governance.StateOf(tool), request, job, jobs, CancellationToken.None);
        }
    }

    private bool IsTracked(string id)
    {
        lock (_gate)
        {
            return _running.ContainsKey(id);
        }
    }

    private void Launch(ToolState state, ToolCallRequest request, ToolJob job, IToolJobStore jobs, CancellationToken runToken)
    {
        lock (_gate)
        {
            if (_running.ContainsKey(job.Id))
            {
                return;
            }

            var start = new Task<Task>(() => RunAsync(state, request, job, jobs, runToken));
            _running[job.Id] = start.Unwrap();
            start.Start(TaskScheduler.Default);
        }
    }

    private async Task RunAsync(ToolState state, ToolCallRequest request, ToolJob job, IToolJobStore jobs, CancellationToken runToken)
    {
        var time = governance.Time;
        try
        {
            ToolJob done;
            try
            {
                var execute = Execute ?? throw new InvalidOperationException("the pipeline has no background-job step to run jobs with.");
                var record = await execute(new GovernedCall(request, governance) { State = state, Resolved = true }, runToken);
                done = job with { Status = record.Status == ToolCallStatus.Succeeded ? ToolJobStatus.Succeeded : ToolJobStatus.Failed, Result = record.Result, EndedAt = time.GetUtcNow() };
            }
            catch (OperationCanceledException)
            {
                done = job with { Status = ToolJobStatus.Cancelled, Result = ToolResults.Error("the job was cancelled with its run."), EndedAt = time.GetUtcNow() };
            }

            await jobs.UpdateAsync(done, CancellationToken.None);
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(job.Id);
            }
        }
    }

    private sealed class StatusTool(ToolJobRunner runner, string name) : ScopedFunction
    {
        private static readonly JsonElement Schema = JsonDocument.Parse("""
            { "type": "object", "properties": { "job_id": { "type": "string", "description": "The job's id, as the call that started it said (job-...)." } }, "required": ["job_id"] }
            """).RootElement.Clone();

        public override string Name => name;

        public override string Description => "Tell where a background job is (running, succeeded, failed, cancelled) and its result once it has finished.";

        public override JsonElement JsonSchema => Schema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var id = arguments.TryGetValue("job_id", out var value) ? value switch
            {
                JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                string s => s,
                _ => null,
            } : null;
            return await runner.StatusAsync(id ?? throw new ArgumentException("job_id is required."), arguments, cancellationToken);
        }
    }

    public async ValueTask<IReadOnlyList<ChatMessage>> UpdatesAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        var jobs = (await StoreFor(context).ListAsync(context.RunId, cancellationToken)).Where(j => j.Agent == context.Agent).ToList();
        if (jobs.Count == 0)
        {
            return [];
        }

        var text = new StringBuilder("Your background jobs in this run:");
        foreach (var job in jobs)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {job.Id} ({job.Tool}): ");
            text.Append(job.IsFinished
                ? $"{job.Status.ToString().ToLowerInvariant()}: {Shorten(job.Result ?? "")}"
                : "still running");
        }

        return [new ChatMessage(ChatRole.System, text.ToString())];
    }

    private static string Shorten(string text) => text.Length <= MaxResultInContext ? text : text[..MaxResultInContext] + $"… (ask {StatusToolName} for all of it)";
}
