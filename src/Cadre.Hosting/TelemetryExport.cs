using Cadre.Observability;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cadre.Hosting;

/// <summary>
/// Exports Cadre's traces and metrics (the <c>Cadre</c> activity source and meter: agent turns, tool calls, model
/// calls by the GenAI conventions, workflow runs) over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, with
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>grpc</c>, the default, or <c>http/protobuf</c>),
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c> and <c>OTEL_SERVICE_NAME</c> read through the host's environment.
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
    /// <exception cref="ArgumentException">The endpoint or protocol is not one OTLP can use.</exception>
    public static TelemetryExport FromEnvironment(Func<string, string?>? getEnvironmentVariable = null, string serviceName = "cadre")
    {
        var read = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        if (string.IsNullOrWhiteSpace(read(EndpointVariable)))
        {
            return new TelemetryExport(null, null);
        }

        var endpoint = read(EndpointVariable)!.Trim();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{EndpointVariable} must be an http or https address such as http://localhost:4318, not '{endpoint}'.");
        }

        var protocol = read("OTEL_EXPORTER_OTLP_PROTOCOL")?.Trim() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new ArgumentException($"OTEL_EXPORTER_OTLP_PROTOCOL '{other}' is not supported: use grpc or http/protobuf."),
        };
        var headers = read("OTEL_EXPORTER_OTLP_HEADERS");
        var service = read("OTEL_SERVICE_NAME") is { Length: > 0 } named ? named : serviceName;
        var resource = ResourceBuilder.CreateDefault().AddService(service);

        // The variables are read through the host's reader (not only the process's), so the exporter is configured
        // here; over HTTP each signal has its own path under the endpoint, as the specification says.
        void Configure(OtlpExporterOptions options, string signal)
        {
            options.Protocol = protocol;
            options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(baseUri, baseUri.AbsolutePath.TrimEnd('/') + "/v1/" + signal) : baseUri;
            if (!string.IsNullOrWhiteSpace(headers))
            {
                options.Headers = headers;
            }
        }

        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(CadreTelemetry.Name)
            .AddOtlpExporter(o => Configure(o, "traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(CadreTelemetry.Name)
            .AddOtlpExporter(o => Configure(o, "metrics"))
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
