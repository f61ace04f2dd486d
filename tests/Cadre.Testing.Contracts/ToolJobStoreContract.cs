using Cadre.Tools;

namespace Cadre.Testing.Contracts;

/// <summary>What every <see cref="IToolJobStore"/> must do: one job per idempotency key, updated in place, listed by
/// run.</summary>
public abstract class ToolJobStoreContract : IAsyncLifetime
{
    protected IToolJobStore Jobs { get; private set; } = null!;

    /// <summary>Opens an empty store.</summary>
    protected abstract Task<IToolJobStore> CreateStoreAsync();

    public async Task InitializeAsync() => Jobs = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_job_store_keeps_one_job_per_key_and_updates_it()
    {
        var job = new ToolJob { Id = ToolJob.IdFor("r1/1/0"), Key = "r1/1/0", RunId = "r1", Step = 1, Agent = "a", Tool = "export", Arguments = "{}", StartedAt = DateTimeOffset.UnixEpoch };

        Assert.Equal(job, await Jobs.AddAsync(job));
        Assert.Equal(job, await Jobs.AddAsync(job with { Arguments = "{\"other\":1}" }));
        var done = job with { Status = ToolJobStatus.Succeeded, Result = "ok", EndedAt = DateTimeOffset.UnixEpoch.AddMinutes(1) };
        await Jobs.UpdateAsync(done);

        Assert.Equal(done, await Jobs.FindAsync(job.Id));
        Assert.Equal([done], await Jobs.ListAsync("r1"));
        Assert.Empty(await Jobs.ListAsync("r2"));
        Assert.Null(await Jobs.FindAsync("job-none"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Jobs.UpdateAsync(job with { Id = "job-none" }));
    }
}
