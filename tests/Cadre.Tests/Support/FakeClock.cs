using Microsoft.Extensions.Time.Testing;

namespace Cadre.Tests.Support;

/// <summary>Drives work that waits on a <see cref="FakeTimeProvider"/>: advances fake time in steps until the work
/// completes, so retries, timeouts and latencies pass in milliseconds of real time.</summary>
public static class FakeClock
{
    /// <summary>Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="work"/> completes;
    /// fails when more than <paramref name="limit"/> of fake time passes first (the work hangs).</summary>
    public static async Task<T> DriveAsync<T>(this FakeTimeProvider time, Task<T> work, TimeSpan? step = null, TimeSpan? limit = null)
    {
        await DriveAsync(time, (Task)work, step, limit);
        return await work;
    }

    public static async Task DriveAsync(this FakeTimeProvider time, Task work, TimeSpan? step = null, TimeSpan? limit = null)
    {
        var increment = step ?? TimeSpan.FromMilliseconds(250);
        var most = limit ?? TimeSpan.FromHours(2);
        var passed = TimeSpan.Zero;
        while (!work.IsCompleted)
        {
            // Let continuations that are already queued run before time moves on.
            for (var i = 0; i < 20 && !work.IsCompleted; i++)
            {
                await Task.Yield();
            }

            if (work.IsCompleted)
            {
                break;
            }

            await Task.WhenAny(work, Task.Delay(1));
            if (work.IsCompleted)
            {
                break;
            }

            if (passed >= most)
            {
                throw new TimeoutException($"The work did not finish within {most} of fake time: it hangs.");
            }

            time.Advance(increment);
            passed += increment;
        }

        await work;
    }

    /// <summary>Waits (in real time, up to 10 s) until <paramref name="condition"/> holds: for asserting on work that
    /// continues on another thread after a clock advance. The condition decides; the limit only stops a broken test.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 2000; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(5);
        }

        Assert.Fail("Expected, but it never happened: " + what);
    }
}
