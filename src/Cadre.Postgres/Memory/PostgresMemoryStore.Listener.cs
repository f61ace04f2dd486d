using Npgsql;

namespace Cadre.Postgres.Memory;

/// <summary>Listening for other hosts' memory changes: every change sends a <c>NOTIFY</c> on <see cref="Channel"/>,
/// and the store applies it to its vector index as it commits, so a search rarely has anything left to load.</summary>
public sealed partial class PostgresMemoryStore
{
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Changed();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Changed(); // anything may have changed while nobody listened
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ObjectDisposedException)
            {
                // The server went away: searches still check the change log; listen again shortly.
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Changed()
    {
        Interlocked.Increment(ref _notifications);
        if (_vectors.Model is { } model && !_stop.IsCancellationRequested)
        {
            _ = RefreshAsync(model);
        }
    }

    private async Task RefreshAsync(string model)
    {
        try
        {
            await _vectors.SyncAsync(model, _stop.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // The next search syncs again.
        }
    }
}
