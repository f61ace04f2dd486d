using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cadre.Tests.Support;

/// <summary>
/// An OTLP/HTTP collector on 127.0.0.1 (Kestrel) that decodes what exporters send as protobuf —
/// <c>/v1/traces</c> into spans and <c>/v1/metrics</c> into metric names and units — reading the wire format
/// directly (the OTLP messages are small: tag, varint, length-delimited field).
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpCollector(WebApplication app) => _app = app;

    public ConcurrentQueue<OtlpSpan> Spans { get; } = new();

    public ConcurrentQueue<(string Name, string Unit)> Metrics { get; } = new();

    public ConcurrentQueue<string> ServiceNames { get; } = new();

    public string Endpoint { get; private set; } = "";

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            collector.ReadTraces(await BodyAsync(request));
            return Results.Ok();
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            collector.ReadMetrics(await BodyAsync(request));
            return Results.Ok();
        });
        await app.StartAsync();
        collector.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return collector;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task<byte[]> BodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    // ExportTraceServiceRequest: 1 resource_spans { 1 resource, 2 scope_spans { 2 spans } }.
    private void ReadTraces(byte[] body)
    {
        foreach (var resourceSpans in Fields(body, 1))
        {
            ReadService(resourceSpans);
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    Spans.Enqueue(ReadSpan(span));
                }
            }
        }
    }

    // ExportMetricsServiceRequest: 1 resource_metrics { 1 resource, 2 scope_metrics { 2 metrics { 1 name, 3 unit } } }.
    private void ReadMetrics(byte[] body)
    {
        foreach (var resourceMetrics in Fields(body, 1))
        {
            ReadService(resourceMetrics);
            foreach (var scopeMetrics in Fields(resourceMetrics, 2))
            {
                foreach (var metric in Fields(scopeMetrics, 2))
                {
                    Metrics.Enqueue((Text(metric, 1), Text(metric, 3)));
                }
            }
        }
    }

    private void ReadService(byte[] resourceHolder)
    {
        foreach (var resource in Fields(resourceHolder, 1))
        {
            if (Attributes(resource, 1).TryGetValue("service.name", out var name))
            {
                ServiceNames.Enqueue(name?.ToString() ?? "");
            }
        }
    }

    // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes, 15 status { 2 message, 3 code }.
    private static OtlpSpan ReadSpan(byte[] span)
    {
        var status = Fields(span, 15).FirstOrDefault();
        return new OtlpSpan(
            Text(span, 5),
            Convert.ToHexString(Fields(span, 1).FirstOrDefault() ?? []),
            Convert.ToHexString(Fields(span, 2).FirstOrDefault() ?? []),
            Convert.ToHexString(Fields(span, 4).FirstOrDefault() ?? []),
            Attributes(span, 9),
            status is null ? 0 : (int)Varints(status, 3).FirstOrDefault());
    }

    // KeyValue: 1 key, 2 AnyValue { 1 string, 2 bool, 3 int, 4 double }.
    private static Dictionary<string, object?> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in Fields(message, field))
        {
            var value = Fields(pair, 2).FirstOrDefault() ?? [];
            object? read = null;
            foreach (var (number, wire, data, varint) in Read(value))
            {
                read = (number, wire) switch
                {
                    (1, 2) => Encoding.UTF8.GetString(data),
                    (2, 0) => varint != 0,
                    (3, 0) => (long)varint,
                    (4, 1) => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(data)),
                    _ => read,
                };
            }

            attributes[Text(pair, 1)] = read;
        }

        return attributes;
    }

    private static string Text(byte[] message, int field) => Fields(message, field).FirstOrDefault() is { } data ? Encoding.UTF8.GetString(data) : "";

    private static IEnumerable<byte[]> Fields(byte[] message, int field) =>
        Read(message).Where(f => f.Number == field && f.Wire == 2).Select(f => f.Data);

    private static IEnumerable<ulong> Varints(byte[] message, int field) =>
        Read(message).Where(f => f.Number == field && f.Wire == 0).Select(f => f.Varint);

    private static List<(int Number, int Wire, byte[] Data, ulong Varint)> Read(byte[] message)
    {
        var fields = new List<(int, int, byte[], ulong)>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var (number, wire) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wire)
            {
                case 0:
                    fields.Add((number, wire, [], Varint(message, ref position)));
                    break;
                case 1:
                    fields.Add((number, wire, message[position..(position + 8)], 0));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    fields.Add((number, wire, message[position..(position + length)], 0));
                    position += length;
                    break;
                case 5:
                    fields.Add((number, wire, message[position..(position + 4)], 0));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {wire} is not OTLP protobuf.");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}

/// <summary>A span as an OTLP collector received it.</summary>
public sealed record OtlpSpan(string Name, string TraceId, string SpanId, string ParentSpanId, IReadOnlyDictionary<string, object?> Attributes, int StatusCode);
