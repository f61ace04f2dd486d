using System.Net;
using System.Net.Sockets;
using Cadre.Resilience;
using Cadre.Testing;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cadre.Tests.Resilience;

/// <summary>Which failures are worth retrying, and how long a service asked to wait.</summary>
public sealed class TransientFailuresTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new ModelCallException("x", HttpStatusCode.TooManyRequests), true },
        { new ModelCallException("x", HttpStatusCode.ServiceUnavailable), true },
        { new ModelCallException("x", HttpStatusCode.RequestTimeout), true },
        { new ModelCallException("x", HttpStatusCode.BadRequest), false },
        { new ModelCallException("x", HttpStatusCode.Unauthorized), false },
        { new HttpRequestException(HttpRequestError.ConnectionError, "reset"), true },
        { new HttpRequestException("wrapped", new IOException("Connection reset by peer")), true },
        { new HttpRequestException("wrapped", new SocketException((int)SocketError.ConnectionReset)), true },
        { new TimeoutRejectedException("slow"), true },
        { new TimeoutException("slow"), true },
        { new InvalidModelResponseException("empty"), true },
        { new BrokenCircuitException("open"), false },
        { new ReplayMissException("not recorded"), false },
        { new InvalidOperationException("bug"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classifies_failures(Exception failure, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(failure));

    [Fact]
    public void Reads_Retry_After_as_seconds_or_an_HTTP_date()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(TimeSpan.FromSeconds(12), TransientFailures.ParseRetryAfter("12", time));
        Assert.Equal(TimeSpan.FromSeconds(90), TransientFailures.ParseRetryAfter("Thu, 01 Jan 2026 12:01:30 GMT", time));
        Assert.Equal(TimeSpan.Zero, TransientFailures.ParseRetryAfter("Thu, 01 Jan 2026 11:00:00 GMT", time));
        Assert.Null(TransientFailures.ParseRetryAfter("soon", time));
    }

    [Fact]
    public void Reads_the_wait_a_scripted_failure_asks_for() =>
        Assert.Equal(TimeSpan.FromSeconds(2), TransientFailures.RetryAfterOf(new ModelCallException("x", HttpStatusCode.TooManyRequests) { RetryAfter = TimeSpan.FromSeconds(2) }));
}
