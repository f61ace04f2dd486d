namespace Cadre.Memory;

/// <summary>Times written by memory: stores keep milliseconds, so every time is cut to milliseconds where it is made,
/// and every store gives back exactly what was written.</summary>
internal static class MemoryClock
{
    public static DateTimeOffset Now(TimeProvider time) => Truncate(time.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
