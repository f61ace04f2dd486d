using Microsoft.Extensions.Logging;

namespace Cadre.Hosting;

/// <summary>What the hosting path logs, as source-generated messages (nothing is formatted when the level is off).</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Building(ILogger logger, string line);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "[mcp] {Line}")]
    public static partial void McpServer(ILogger logger, string line);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Run {RunId} of {Spec} ({Verb}) ended {Status} after {Steps} steps")]
    public static partial void RunEnded(ILogger logger, string runId, string spec, string verb, Cadre.Runs.RunStatus status, int steps);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "waiting: {Holder}")]
    public static partial void RunWaiting(ILogger logger, string holder);
}
