using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cadre.Hosting;

/// <summary>Registers Cadre with a generic host or an ASP.NET Core application: <c>builder.Services.AddCadre()</c>,
/// then take a <see cref="RunHost"/> where specs are run.</summary>
public static class CadreServiceCollectionExtensions
{
    /// <summary>Adds <see cref="CadreHostOptions"/> (logger from the registered <see cref="ILoggerFactory"/>, clock from
    /// the registered <see cref="TimeProvider"/>, else the system's) and a <see cref="RunHost"/> over them, once; with
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a <see cref="TelemetryExport"/> that starts with the run host.</summary>
    /// <param name="services">The application's services; what is registered there already (options, run host) is kept.</param>
    /// <param name="configure">Sets the folder, environment, approver and the rest, if given.</param>
    /// <returns>The same <paramref name="services"/> collection, for chaining.</returns>
    public static IServiceCollection AddCadre(this IServiceCollection services, Action<CadreHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new CadreHostOptions
            {
                Logger = provider.GetService<ILoggerFactory>()?.CreateLogger("Cadre") ?? NullLogger.Instance,
                Time = provider.GetService<TimeProvider>() ?? TimeProvider.System,
            };
            configure?.Invoke(options);
            return options;
        });
        // Created with the run host and disposed (flushed) with the container.
        services.TryAddSingleton(provider => TelemetryExport.FromEnvironment(provider.GetRequiredService<CadreHostOptions>().GetEnvironmentVariable));
        services.TryAddSingleton(provider =>
        {
            provider.GetRequiredService<TelemetryExport>();
            return new RunHost(provider.GetRequiredService<CadreHostOptions>());
        });
        return services;
    }
}
