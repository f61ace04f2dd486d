using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cadre.Sqlite;

/// <summary>One operating-system file lock per run (<c>locks/&lt;run&gt;.lock</c> beside the workspace file), held by
/// the process that owns the run. The kernel releases it when that process dies, even by <c>kill -9</c>, so a process
/// on the same host that can take the lock knows the previous holder is gone without waiting for its lease to lapse.
/// (On Unix .NET takes <c>flock</c> for <see cref="FileShare.None"/>; two opens conflict even within one process.)</summary>
internal sealed class RunLocks(string directory)
{
    private readonly ConcurrentDictionary<string, FileStream> _held = new(StringComparer.Ordinal);

    /// <summary>Takes the run's lock if no live process holds it; null otherwise.</summary>
    public FileStream? TryAcquire(string runId)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return new FileStream(Path.Combine(directory, FileName(runId)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null; // held by a live process (or this one)
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Holds a taken lock for as long as this process owns the run.</summary>
    public void Keep(string runId, FileStream lockFile)
    {
        if (!_held.TryAdd(runId, lockFile))
        {
            lockFile.Dispose();
        }
    }

    /// <summary>Lets go of the run's lock, if this process holds it.</summary>
    public void Release(string runId)
    {
        if (_held.TryRemove(runId, out var lockFile))
        {
            lockFile.Dispose();
        }
    }

    /// <summary>Lets go of every lock held.</summary>
    public void ReleaseAll()
    {
        foreach (var runId in _held.Keys)
        {
            Release(runId);
        }
    }

    // Run ids are usually file-name safe; anything else is hashed rather than trusted as a path.
    private static string FileName(string runId) =>
        runId.Length is > 0 and <= 100 && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && runId[0] != '.'
            ? runId + ".lock"
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId)))[..32] + ".lock";
}
