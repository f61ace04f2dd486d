using System.Net;
using System.Reflection;
using System.Text;
using Cadre.Dashboard.Pages;
using Cadre.Postgres;
using Cadre.Sqlite;
using Cadre.Workspaces;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cadre.Dashboard;

/// <summary>
/// The dashboard over one workspace, on Kestrel: plain server-rendered pages, a little script for the parts that
/// update live (server-sent events), every change a POST checked against forgery, every request checked for the
/// session the one-time link opened. <c>cadre dashboard</c> starts it; tests start it on a free port.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DashboardContext _context;

    private DashboardServer(WebApplication app, DashboardContext context, Uri address, string token)
    {
        _app = app;
        _context = context;
        Address = address;
        SignInUrl = new Uri(address, "/runs?token=" + token);
    }

    /// <summary>Where the dashboard listens (<c>http://127.0.0.1:5170/</c>).</summary>
    public Uri Address { get; }

    /// <summary>The link to open: the address with the one-time token, exchanged for a session cookie on first use.</summary>
    public Uri SignInUrl { get; }

    /// <summary>Opens the workspace and starts listening.</summary>
    /// <param name="options">What to serve and where.</param>
    /// <param name="cancellationToken">Cancels opening the workspace and starting to listen; what was opened is closed and the call throws <see cref="OperationCanceledException"/>. Not used to stop the running dashboard.</param>
    /// <returns>The running dashboard; dispose it to stop.</returns>
    /// <exception cref="Cadre.Workspaces.WorkspaceException">The workspace cannot be opened.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A folder holds a SQLite workspace; a postgres:// URL or connection string names one that a cluster shares.
        var location = PostgresConnectionString.IsPostgres(options.Workspace) ? options.Workspace : Path.GetFullPath(options.Workspace, options.CurrentDirectory);
        IWorkspace workspace = PostgresConnectionString.IsPostgres(location)
            ? await PostgresWorkspace.OpenAsync(location, cancellationToken)
            : await SqliteWorkspace.OpenAsync(location, cancellationToken);
        var context = new DashboardContext(options, workspace, location);
        var access = new DashboardAccess();
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.CurrentDirectory, ApplicationName = "Cadre.Dashboard" });
            builder.Logging.ClearProviders();
            if (options.Logging is { } logging)
            {
                builder.Services.AddSingleton(logging);
            }

            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(options.Address), options.Port));
            builder.Services.AddAntiforgery(a =>
            {
                a.Cookie.Name = "cadre-antiforgery";
                a.Cookie.SameSite = SameSiteMode.Strict;
                a.FormFieldName = "__RequestVerificationToken";
            });
            var app = builder.Build();
            app.Use(access.HandleAsync);
            Map(app, context);
            await app.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new DashboardServer(app, context, new Uri(bound.EndsWith('/') ? bound : bound + "/"), access.Token);
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the runs the dashboard continued (after an approval, a dead-letter retry) to finish.</summary>
    /// <returns>A task that completes when none is running.</returns>
    public Task WhenIdleAsync() => _context.WhenIdleAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _context.DisposeAsync();
    }

    private static void Map(WebApplication app, DashboardContext context)
    {
        const string HtmlType = "text/html; charset=utf-8";
        app.MapGet("/", () => Results.Redirect("/runs"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/runs", async (HttpContext http, CancellationToken cancellationToken) => Results.Text(await RunsPage.RenderAsync(context, http.Request.Query, cancellationToken), HtmlType));
        app.MapGet("/runs/{id}", async (string id, HttpContext http) =>
            await RunPage.RenderAsync(context, id, http.RequestAborted) is { } page ? Results.Text(page, HtmlType) : Results.NotFound($"No run '{id}'."));
        app.MapGet("/approvals", async (HttpContext http, IAntiforgery antiforgery) => Results.Text(await ApprovalsPage.RenderAsync(context, http, antiforgery, http.RequestAborted), HtmlType));
        app.MapGet("/dead-letters", async (HttpContext http, IAntiforgery antiforgery) => Results.Text(await DeadLettersPage.RenderAsync(context, http, antiforgery, http.RequestAborted), HtmlType));
        app.MapGet("/memory", async (HttpContext http, CancellationToken cancellationToken) => Results.Text(await MemoryPage.RenderAsync(context, http.Request.Query, cancellationToken), HtmlType));
        app.MapGet("/tools", async (HttpContext http, CancellationToken cancellationToken) => Results.Text(await ToolsPage.RenderAsync(context, http.Request.Query, cancellationToken), HtmlType));
        app.MapPost("/approvals/{id}", (string id, HttpContext http, IAntiforgery antiforgery) =>
            ChangeAsync(http, antiforgery, form => ApprovalsPage.DecideAsync(context, id, form, http.RequestAborted)));
        app.MapPost("/dead-letters/{id}", (string id, HttpContext http, IAntiforgery antiforgery) =>
            ChangeAsync(http, antiforgery, form => DeadLettersPage.ActAsync(context, id, form, http.RequestAborted)));
        app.MapGet("/live/runs", (HttpContext http, CancellationToken cancellationToken) =>
            LiveAsync(context, http, ct => RunsPage.TableAsync(context, RunFilter.From(http.Request.Query), ct), cancellationToken));
        app.MapGet("/live/run/{id}", (string id, HttpContext http, CancellationToken cancellationToken) =>
            LiveAsync(context, http, ct => RunDetailAsync(context, id, ct), cancellationToken));
    }

    private static async Task<string> RunDetailAsync(DashboardContext context, string id, CancellationToken cancellationToken) =>
        await RunPage.DetailAsync(context, id, cancellationToken) ?? "<p class=\"error\">The run no longer exists.</p>";

    // Every change: a form POST whose anti-forgery token matches the cookie the page set.
    private static async Task<IResult> ChangeAsync(HttpContext http, IAntiforgery antiforgery, Func<IFormCollection, Task<IResult>> change)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.BadRequest("The form's anti-forgery token is missing or wrong; reload the page and try again.");
        }

        return await change(await http.Request.ReadFormAsync(http.RequestAborted));
    }

    // Server-sent events: the fragment again whenever it changed. Polling the workspace keeps this working when the
    // run is driven by another process (cadre run, a worker) — the file is the only thing they share.
    private static async Task LiveAsync(DashboardContext context, HttpContext http, Func<CancellationToken, Task<string>> render, CancellationToken cancellationToken)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        string? last = null;
        var ticks = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var html = await render(cancellationToken);
                if (!string.Equals(html, last, StringComparison.Ordinal))
                {
                    var message = new StringBuilder("event: update\n");
                    foreach (var line in html.Split('\n'))
                    {
                        message.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
                    }

                    await http.Response.WriteAsync(message.Append('\n').ToString(), cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    last = html;
                }
                else if (++ticks % 50 == 0)
                {
                    // A comment now and then, so a closed browser tab is noticed.
                    await http.Response.WriteAsync(": still here\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                }

                await Task.Delay(context.Options.LiveInterval, context.Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("Cadre.Dashboard.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
