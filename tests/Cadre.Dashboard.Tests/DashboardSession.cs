using Microsoft.Playwright;

namespace Cadre.Dashboard.Tests;

/// <summary>A dashboard on a free port over a fresh workspace, and a browser page signed in with its one-time link.
/// Set CADRE_SCREENSHOTS to a folder to keep screenshots of the pages (docs/dashboard.md uses them).</summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private DashboardSession(string root, DashboardServer server, IBrowserContext browser, IPage page)
    {
        Root = root;
        Server = server;
        Browser = browser;
        Page = page;
    }

    public string Root { get; }

    public string Workspace => Path.Combine(Root, ".cadre");

    public DashboardServer Server { get; }

    public IBrowserContext Browser { get; }

    public IPage Page { get; }

    public static async Task<DashboardSession> StartAsync(IBrowser browser)
    {
        var root = Path.Combine(Path.GetTempPath(), "cadre-dashboard-tests", Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(root);
        var server = await DashboardServer.StartAsync(new DashboardOptions
        {
            Workspace = ".cadre",
            Port = 0,
            CurrentDirectory = root,
            Operator = "alice",
            Spec = RepoPaths.SupportDesk,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(server.SignInUrl.ToString());
        if (response?.Status != 200)
        {
            throw new InvalidOperationException($"Signing in with the one-time link answered {response?.Status}.");
        }

        return new DashboardSession(root, server, context, page);
    }

    public Uri Url(string path) => new(Server.Address, path);

    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("CADRE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"dashboard-{name}.png"), FullPage = false });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
