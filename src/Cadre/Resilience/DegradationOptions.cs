using Cadre.Observability;

namespace Cadre.Resilience;

/// <summary>How a <see cref="DegradingChatClient"/> moves between levels.</summary>
public sealed record DegradationOptions
{
    /// <summary>How long a level that failed is passed over before the chain tries it again first (default 30 s):
    /// the chain climbs back as soon as a better level answers again.</summary>
    public TimeSpan RecoveryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock that times how long a level stays in force; a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives level changes that happen outside a workflow run.</summary>
    public IRunObserver? Observer { get; init; }

    /// <summary>Leave the levels' clients open when the chain is disposed (default false: the chain owns them).</summary>
    public bool LeaveOpen { get; init; }
}
