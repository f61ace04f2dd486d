using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cadre.Dashboard;

/// <summary>
/// Who may use the dashboard: whoever opened the URL <c>cadre dashboard</c> printed. Its token works once and is
/// exchanged for a session cookie (HTTP-only, same-site strict); every other request without that cookie is refused,
/// so another user of the machine, or a page in the browser, cannot reach the workspace.
/// </summary>
internal sealed class DashboardAccess
{
    public const string CookieName = "cadre-dashboard";
    private readonly Lock _gate = new();
    private readonly byte[] _token;
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private bool _used;

    public DashboardAccess(string? token = null)
    {
        Token = token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _token = Encoding.UTF8.GetBytes(Token);
    }

    /// <summary>The one-time token for the printed URL.</summary>
    public string Token { get; }

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var offered = context.Request.Query["token"].ToString();
        if (offered.Length > 0)
        {
            if (!Exchange(offered, out var session))
            {
                await RefuseAsync(context, "This link was already used or is not the one cadre dashboard printed. Restart cadre dashboard for a new link.");
                return;
            }

            context.Response.Cookies.Append(CookieName, session, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            // Drop the token from the address bar and history.
            context.Response.Redirect(context.Request.Path.HasValue && context.Request.Path != "/" ? context.Request.Path.Value! : "/runs");
            return;
        }

        if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && IsSession(cookie))
        {
            await next(context);
            return;
        }

        await RefuseAsync(context, "This dashboard opens only from the link cadre dashboard printed (it carries a one-time token).");
    }

    private bool Exchange(string offered, out string session)
    {
        session = "";
        lock (_gate)
        {
            if (_used || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), _token))
            {
                return false;
            }

            _used = true;
            session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            _sessions.Add(session);
            return true;
        }
    }

    private bool IsSession(string cookie)
    {
        lock (_gate)
        {
            return _sessions.Contains(cookie);
        }
    }

    private static async Task RefuseAsync(HttpContext context, string why)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(why);
    }
}
