using Cadre.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cadre.Hosting;

/// <summary>
/// Exports Cadre's traces and metrics (the <c>Cadre</c> activity source and meter: agent turns, tool calls, model
/// calls by the GenAI conventions, workflow runs) over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The
/// exporter reads the standard variables itself (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>_HEADERS</c>, ...).
/// Disposing flushes what is buffered, so a short-lived command loses nothing.
/// </summary>
public sealed class TelemetryExport : IDisposable
{
    /// <summary>The variable that turns export on.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metrics;

    private TelemetryExport(TracerProvider? traces, MeterProvider? metrics)
    {
        _traces = traces;
        _metrics = metrics;
    }

    /// <summary>Whether traces and metrics are exported.</summary>
    public bool IsExporting => _traces is not null;

    /// <summary>Starts exporting when <see cref="EndpointVariable"/> is set; otherwise exports nothing.</summary>
    /// <param name="getEnvironmentVariable">Reads the environment (the host's <see cref="CadreHostOptions.GetEnvironmentVariable"/>).</param>
    /// <param name="serviceName">The <c>service.name</c> of the resource (<c>OTEL_SERVICE_NAME</c> wins when set).</param>
    /// <returns>The export; dispose it to flush and stop.</returns>
    public static TelemetryExport FromEnvironment(Func<string, string?>? getEnvironmentVariable = null, string serviceName = "cadre")
    {
        var read = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        if (string.IsNullOrWhiteSpace(read(EndpointVariable)))
        {
            return new TelemetryExport(null, null);
        }

        var service = read("OTEL_SERVICE_NAME") is { Length: > 0 } named ? named : serviceName;
        var resource = ResourceBuilder.CreateDefault().AddService(service);
        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(CadreTelemetry.Name)
            .AddOtlpExporter()
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(CadreTelemetry.Name)
            .AddOtlpExporter()
            .Build();
        return new TelemetryExport(traces, metrics);
    }

    /// <summary>Flushes and stops the export.</summary>
    public void Dispose()
    {
        _traces?.Dispose();
        _metrics?.Dispose();
    }
}
