using Cadre.Agents;
using Cadre.Conversations;
using Cadre.Workflows;
using Microsoft.Extensions.AI;

namespace Cadre.Testing.Contracts;

/// <summary>
/// What every <see cref="IRunStore"/> (with the <see cref="IConversationStore"/> that keeps its threads) must do: a run,
/// its steps and its checkpoint read back whole; a step commit adds messages, usage and state together; runs are found
/// by a unique id prefix. A store author derives a class that opens an empty store.
/// </summary>
public abstract class RunStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    protected IRunStore Runs { get; private set; } = null!;

    protected IConversationStore Conversations => Runs as IConversationStore
        ?? throw new InvalidOperationException("The run store must keep the run threads (IConversationStore).");

    /// <summary>Opens an empty store.</summary>
    protected abstract Task<IRunStore> CreateStoreAsync();

    public async Task InitializeAsync() => Runs = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static RunRecord Run(string id, int minutes = 0) => new()
    {
        Id = id, Workflow = "handoff", Task = "john@example.com was charged twice", StartedAt = Start.AddMinutes(minutes),
        Metadata = new Dictionary<string, string> { ["spec"] = "support-desk" },
    };

    protected static WorkflowState State(int step, string? next) => new()
    {
        Task = "john@example.com was charged twice", Step = step, NextAgent = next, Notes = [$"note {step}"],
        Data = new Dictionary<string, string> { ["customer"] = "C-1001" },
    };

    protected static StepCommit Step(string runId, int index, string agent, params ChatMessage[] messages) => new(
        new RunStep
        {
            RunId = runId, Index = index, Agent = agent, StartedAt = Start.AddSeconds(index), Duration = TimeSpan.FromMilliseconds(1500 + index),
            Usage = new TokenUsage(100 * index, 10 * index), Text = $"{agent} answered",
            ToolCalls = [new ToolCallRecord($"call_{index}", "lookup_invoice", "{\"id\":\"INV-1001\"}", ToolCallStatus.Succeeded, "paid twice", TimeSpan.FromMilliseconds(12))],
            Handoff = index == 1 ? new Handoff("billing", "a duplicate charge") : null,
            Messages = messages, // as workflows commit them: the step's messages are the ones the commit appends
        },
        messages,
        State(index, index == 1 ? "billing" : null));

    [Fact]
    public async Task A_new_run_reads_back_with_its_thread_and_initial_state()
    {
        await Runs.CreateRunAsync(Run("r-1"), [new ChatMessage(ChatRole.User, "charged twice")], State(0, "triage"));

        var checkpoint = await Runs.GetCheckpointAsync("r-1");

        Assert.NotNull(checkpoint);
        Assert.Equal(Run("r-1").Task, checkpoint.Run.Task);
        Assert.Equal(RunStatus.Running, checkpoint.Run.Status);
        Assert.Equal(Start, checkpoint.Run.StartedAt);
        Assert.Equal("support-desk", checkpoint.Run.Metadata["spec"]);
        Assert.Equal("charged twice", Assert.Single(checkpoint.Thread).Text);
        Assert.Equal("triage", checkpoint.State.NextAgent);
        Assert.Equal("C-1001", checkpoint.State.Data["customer"]);
    }

    [Fact]
    public async Task A_committed_step_adds_its_messages_usage_and_state_together()
    {
        await Runs.CreateRunAsync(Run("r-1"), [new ChatMessage(ChatRole.User, "charged twice")], State(0, "triage"));

        await Runs.CommitStepAsync(Step("r-1", 1, "triage", new ChatMessage(ChatRole.Assistant, "to billing") { AuthorName = "triage" }));
        await Runs.CommitStepAsync(Step("r-1", 2, "billing", new ChatMessage(ChatRole.Assistant, "refunded") { AuthorName = "billing" }, new ChatMessage(ChatRole.Assistant, "done")));

        var steps = await Runs.GetStepsAsync("r-1");
        Assert.Equal([1, 2], steps.Select(s => s.Index));
        Assert.Equal("to billing", Assert.Single(steps[0].Messages).Text);
        Assert.Equal(["refunded", "done"], steps[1].Messages.Select(m => m.Text));
        Assert.Equal("triage", steps[0].Messages[0].AuthorName);
        Assert.Equal(new Handoff("billing", "a duplicate charge"), steps[0].Handoff);
        Assert.Equal(TimeSpan.FromMilliseconds(1502), steps[1].Duration);
        Assert.Equal(Start.AddSeconds(2), steps[1].StartedAt);
        Assert.Equal("paid twice", Assert.Single(steps[1].ToolCalls).Result);
        var checkpoint = await Runs.GetCheckpointAsync("r-1");
        Assert.Equal(2, checkpoint!.State.Step);
        Assert.Null(checkpoint.State.NextAgent);
        Assert.Equal(["charged twice", "to billing", "refunded", "done"], checkpoint.Thread.Select(m => m.Text));
        Assert.Equal(2, checkpoint.Run.Steps);
        Assert.Equal(new TokenUsage(300, 30), checkpoint.Run.Usage);
    }

    [Fact]
    public async Task Updating_a_run_records_its_end_and_an_unknown_run_cannot_be_updated()
    {
        await Runs.CreateRunAsync(Run("r-1"), [], State(0, "triage"));

        await Runs.UpdateRunAsync(Run("r-1") with { Status = RunStatus.Completed, Answer = "refunded", EndedAt = Start.AddMinutes(1) });

        var run = await Runs.GetRunAsync("r-1");
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal("refunded", run.Answer);
        Assert.Equal(Start.AddMinutes(1), run.EndedAt);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runs.UpdateRunAsync(Run("r-none")));
    }

    [Fact]
    public async Task A_run_is_found_by_a_unique_prefix_of_its_id_and_lists_are_newest_first()
    {
        await Runs.CreateRunAsync(Run("r-100_a", 0), [], State(0, "a"));
        await Runs.CreateRunAsync(Run("r-100%b", 1), [], State(0, "a"));
        await Runs.CreateRunAsync(Run("r-200", 2), [], State(0, "a"));

        Assert.Equal("r-200", (await Runs.GetRunAsync("r-2"))!.Id);
        Assert.Equal("r-100%b", (await Runs.GetRunAsync("r-100%"))!.Id);
        Assert.Null(await Runs.GetRunAsync("r-1"));
        Assert.Null(await Runs.GetRunAsync("nothing"));
        Assert.Null(await Runs.GetCheckpointAsync("nothing"));
        Assert.Equal(["r-200", "r-100%b"], (await Runs.ListRunsAsync(2)).Select(r => r.Id));
    }

    [Fact]
    public async Task Threads_append_in_order_and_an_unknown_thread_is_empty()
    {
        await Conversations.AppendAsync("t-1", [new ChatMessage(ChatRole.User, "one")]);
        await Conversations.AppendAsync("t-1", [new ChatMessage(ChatRole.Assistant, "two"), new ChatMessage(ChatRole.User, "three")]);

        Assert.Equal(["one", "two", "three"], (await Conversations.LoadAsync("t-1")).Select(m => m.Text));
        Assert.Equal(ChatRole.Assistant, (await Conversations.LoadAsync("t-1"))[1].Role);
        Assert.Empty(await Conversations.LoadAsync("t-none"));
    }
}
