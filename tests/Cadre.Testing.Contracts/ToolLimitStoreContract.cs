using Cadre.Tools;
using Microsoft.Extensions.Time.Testing;

namespace Cadre.Testing.Contracts;

/// <summary>
/// What every <see cref="IToolLimitStore"/> must do. A store (in memory, SQLite, PostgreSQL, or your own) gets these tests by
/// deriving a class that says how to open an empty store; times come from a <see cref="FakeTimeProvider"/>.
/// </summary>
public abstract class ToolLimitStoreContract : IAsyncLifetime
{
    private static readonly ToolRateLimit ThreePerMinute = new(3, TimeSpan.FromMinutes(1));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    protected IToolLimitStore Store { get; private set; } = null!;

    protected abstract Task<IToolLimitStore> OpenAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private ValueTask<TimeSpan?> Take(string key = "rate:send_email") => Store.TryAcquireAsync(key, ThreePerMinute, _time.GetUtcNow());

    [Fact]
    public async Task At_most_the_limits_permits_are_taken_in_any_window_and_a_refusal_says_when_one_is_free()
    {
        Assert.Null(await Take());
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await Take());
        Assert.Null(await Take());
        Assert.Equal(TimeSpan.FromSeconds(40), await Take());
        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(TimeSpan.FromSeconds(1), await Take());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await Take());
        Assert.Equal(TimeSpan.FromSeconds(20), await Take());
    }

    [Fact]
    public async Task Each_key_has_its_own_permits()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await Take("rate:send_email:billing"));
        }

        Assert.NotNull(await Take("rate:send_email:billing"));
        Assert.Null(await Take("rate:send_email:technical"));
    }

    [Fact]
    public async Task An_exclusive_lock_has_one_holder_until_it_is_released_or_its_lease_ends()
    {
        var lease = TimeSpan.FromMinutes(1);
        Assert.True(await Store.TryLockAsync("lock:reindex", "a", _time.GetUtcNow(), lease));
        Assert.False(await Store.TryLockAsync("lock:reindex", "b", _time.GetUtcNow(), lease));
        Assert.True(await Store.TryLockAsync("lock:reindex", "a", _time.GetUtcNow(), lease)); // the holder renews it
        Assert.True(await Store.TryLockAsync("lock:other", "b", _time.GetUtcNow(), lease));

        await Store.ReleaseAsync("lock:reindex", "b"); // not b's to release
        Assert.False(await Store.TryLockAsync("lock:reindex", "b", _time.GetUtcNow(), lease));
        await Store.ReleaseAsync("lock:reindex", "a");
        Assert.True(await Store.TryLockAsync("lock:reindex", "b", _time.GetUtcNow(), lease));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(await Store.TryLockAsync("lock:reindex", "c", _time.GetUtcNow(), lease));
        _time.Advance(TimeSpan.FromSeconds(1)); // b crashed: its lease ends
        Assert.True(await Store.TryLockAsync("lock:reindex", "c", _time.GetUtcNow(), lease));
    }
}
