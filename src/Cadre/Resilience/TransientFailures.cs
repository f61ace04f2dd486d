using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cadre.Resilience;

/// <summary>
/// Tells failures worth retrying (429, 5xx, 408, timeouts, dropped connections, a malformed reply) from failures that
/// will happen again (400, 401, 403, 404, a replay miss), and reads how long a service asked to wait (Retry-After).
/// Knows the shapes providers use: <see cref="HttpRequestException.StatusCode"/> (Ollama, scripted models),
/// <see cref="ClientResultException.Status"/> with its raw response headers (OpenAI), Polly's own timeout.
/// </summary>
public static class TransientFailures
{
    /// <summary>The HTTP status a failure carries, from the exception or one of its inner exceptions.</summary>
    /// <returns>The status, or null when none was received.</returns>
    public static int? StatusOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClientResultException { Status: > 0 } client:
                    return client.Status;
                case HttpRequestException { StatusCode: { } status }:
                    return (int)status;
            }
        }

        return null;
    }

    /// <summary>True when trying again (after a while) may succeed.</summary>
    /// <returns>True for a 408, 429 or 5xx status, a timeout, a dropped connection or an unusable model reply (looked for
    /// through inner exceptions); false for null, an open circuit and any other status.</returns>
    public static bool IsTransient(Exception? exception)
    {
        if (exception is null or BrokenCircuitException)
        {
            return false; // an open circuit is the answer to transient failures, not one itself
        }

        if (StatusOf(exception) is int status)
        {
            return status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 and < 600;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutRejectedException or TimeoutException or InvalidModelResponseException:
                case SocketException or IOException:
                case ClientResultException { Status: 0 }:
                    return true;
                case HttpRequestException http when http.HttpRequestError is HttpRequestError.ConnectionError
                    or HttpRequestError.ResponseEnded or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError:
                    return true;
            }
        }

        return false;
    }

    /// <summary>How long the service asked to wait before the next call (<c>retry-after-ms</c>, <c>Retry-After</c> in
    /// seconds or as an HTTP date), if it said.</summary>
    /// <param name="exception">The failure; its inner exceptions are searched too. Null gives null.</param>
    /// <param name="time">The clock, for HTTP dates.</param>
    /// <returns>The wait, or null.</returns>
    public static TimeSpan? RetryAfterOf(Exception? exception, TimeProvider? time = null)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ModelCallException { RetryAfter: { } after }:
                    return after;
                case ClientResultException client when client.GetRawResponse() is { } response:
                    if (response.Headers.TryGetValue("retry-after-ms", out var ms) &&
                        double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
                    {
                        return TimeSpan.FromMilliseconds(millis);
                    }

                    if (response.Headers.TryGetValue("Retry-After", out var value) && ParseRetryAfter(value, time ?? TimeProvider.System) is { } wait)
                    {
                        return wait;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Parses a <c>Retry-After</c> header value: delay seconds or an HTTP date.</summary>
    /// <param name="value">The header's value as sent; null or blank gives null.</param>
    /// <param name="time">The clock, for dates.</param>
    /// <returns>The wait (never negative), or null when the value is neither.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>A one-line description of a failure for people: the status when there is one, then the message.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = StatusOf(exception) is int s ? $"{s} " : "";
        var message = exception.Message.ReplaceLineEndings(" ");
        return exception switch
        {
            BrokenCircuitException => "circuit open: " + message,
            TimeoutRejectedException or TimeoutException => "timed out: " + message,
            _ => status + message,
        };
    }

    /// <summary>True when the failure proves a call never reached its target (the connection could not be made or the
    /// name not resolved), so retrying it cannot repeat a side effect.</summary>
    /// <returns>Whether the call never reached its target.</returns>
    public static bool NeverReached(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }

        return false;
    }
}
