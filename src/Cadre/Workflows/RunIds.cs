using System.Globalization;
using System.Security.Cryptography;

namespace Cadre.Workflows;

/// <summary>Makes run ids: short, sortable by start time, and unique (<c>r261124-141523-a3f9</c>).</summary>
public static class RunIds
{
    /// <summary>A new run id.</summary>
    public static string New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return "r" + now.ToString("yyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" +
               Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
    }
}
