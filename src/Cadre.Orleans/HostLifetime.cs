using Microsoft.Extensions.Hosting;

namespace Cadre.Orleans;

/// <summary>Starts and stops the generic host a silo or a client lives in, disposing it on failure and at the end.</summary>
internal static class HostLifetime
{
    public static async Task<IHost> StartAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public static async ValueTask StopAsync(IHost host, TimeSpan limit)
    {
        try
        {
            using var timeout = new CancellationTokenSource(limit);
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }
}
