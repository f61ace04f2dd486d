using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace Cadre.Observability;

/// <summary>
/// A model wrapped in Microsoft.Extensions.AI's OpenTelemetry chat client (spans and <c>gen_ai.client.*</c> metrics by
/// the GenAI conventions), and whether anything listens to what that client reports. Its activity source and
/// instruments are found as the client makes them (by listeners that never listen), so a call can tell exactly
/// whether its span or metrics would go anywhere, and a call no one observes skips the wrapper. Observed calls, also
/// when a listener arrives later, go through it.
/// </summary>
internal sealed class ModelTelemetry
{
    // What the OpenTelemetry client being made on this thread publishes.
    [ThreadStatic]
    private static List<object>? _made;

    private static readonly ActivityListener Sources = WatchSources();
    private static readonly MeterListener Instruments = WatchInstruments();

    private readonly ActivitySource[] _sources;
    private readonly Instrument[] _instruments;
    private readonly bool _unknown;

    private ModelTelemetry(IChatClient client, List<object> made)
    {
        Client = client;
        _sources = [.. made.OfType<ActivitySource>()];
        _instruments = [.. made.OfType<Instrument>()];
        // Should the client ever make what it reports elsewhere or later, nothing can be skipped.
        _unknown = _sources.Length == 0 || _instruments.Length == 0;
    }

    /// <summary>The model inside the OpenTelemetry client.</summary>
    public IChatClient Client { get; }

    /// <summary>True when a call must go through <see cref="Client"/>: something listens to its spans or records one
    /// of its metrics.</summary>
    public bool Observed
    {
        get
        {
            if (_unknown)
            {
                return true;
            }

            foreach (var source in _sources)
            {
                if (source.HasListeners())
                {
                    return true;
                }
            }

            foreach (var instrument in _instruments)
            {
                if (instrument.Enabled)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Wraps <paramref name="model"/> in an OpenTelemetry chat client named <see cref="CadreTelemetry.Name"/>.</summary>
    public static ModelTelemetry For(IChatClient model)
    {
        GC.KeepAlive(Sources);
        GC.KeepAlive(Instruments);
        var made = _made = [];
        try
        {
            return new ModelTelemetry(model.AsBuilder().UseOpenTelemetry(sourceName: CadreTelemetry.Name).Build(), made);
        }
        finally
        {
            _made = null;
        }
    }

    private static ActivityListener WatchSources()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source =>
            {
                if (source.Name == CadreTelemetry.Name)
                {
                    _made?.Add(source);
                }

                return false;
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static MeterListener WatchInstruments()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == CadreTelemetry.Name)
                {
                    _made?.Add(instrument);
                }
            },
        };
        listener.Start();
        return listener;
    }
}
