using System.CommandLine;
using Cadre.Cli.Hosting;
using Cadre.Memory;
using Cadre.Postgres.Memory;
using Cadre.Sqlite.Memory;
using Cadre.Workspaces;

namespace Cadre.Cli.Commands;

/// <summary><c>cadre workspace migrate --to &lt;workspace&gt;</c>: copies a workspace into another, keeping run ids — a
/// SQLite folder into PostgreSQL when one file is no longer enough, or back.</summary>
internal static class WorkspaceCommand
{
    /// <summary><c>cadre workspace migrate</c>: copies one workspace into another (SQLite ⇄ PostgreSQL), keeping run ids.</summary>
    public static Command Create(CliContext context)
    {
        var from = CommonOptions.Workspace();
        from.Description = "The workspace to copy from: a folder or postgres://... (default .cadre or CADRE_WORKSPACE).";
        var to = new Option<string>("--to") { Description = "The workspace to copy into: a folder or postgres://user@host:port/db.", Required = true };
        var migrate = new Command("migrate", "Copy a workspace into another (SQLite ⇄ PostgreSQL), keeping run ids: runs, steps, checkpoints, audit, ledger, jobs, dead letters, memories, episodes, the knowledge graph and blackboards. Copying again adds only what is new.") { from, to };
        migrate.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(context, async () =>
        {
            var source = WorkspaceLocation.Resolve(context.HostOptions(), parse.GetValue(from)!);
            var target = WorkspaceLocation.Resolve(context.HostOptions(), parse.GetValue(to)!);
            if (string.Equals(source, target, StringComparison.Ordinal))
            {
                throw new UsageException("The source and the target are the same workspace.");
            }

            await using var sourceWorkspace = await WorkspaceLocation.OpenAsync(context.HostOptions(), source, cancellationToken);
            await using var targetWorkspace = await WorkspaceLocation.OpenAsync(context.HostOptions(), target, cancellationToken);
            var tenants = await TenantsAsync(sourceWorkspace.Memory.Stores.LongTerm, cancellationToken);
            var report = await WorkspaceCopy.CopyAsync(sourceWorkspace, targetWorkspace, tenants, cancellationToken);
            context.Out.WriteLine($"copied {report.Runs} run(s) ({report.RunsAlreadyThere} already there), {report.DeadLetters} dead letter(s), {report.Memories} memories, {report.Episodes} episode(s) and {report.Facts} fact(s) of {tenants.Count} tenant(s), {report.BlackboardWrites} blackboard write(s) into {Describe(target)}");
            return ExitCodes.Done;
        }));

        return new Command("workspace", "Manage workspaces.") { migrate };
    }

    private static Task<IReadOnlyList<string>> TenantsAsync(IMemoryStore store, CancellationToken cancellationToken) => store switch
    {
        SqliteMemoryStore sqlite => sqlite.ListTenantsAsync(cancellationToken),
        PostgresMemoryStore postgres => postgres.ListTenantsAsync(cancellationToken),
        _ => Task.FromResult<IReadOnlyList<string>>([MemoryScope.Default.Tenant]),
    };

    private static string Describe(string location) =>
        Cadre.Postgres.PostgresConnectionString.IsPostgres(location)
            ? Cadre.Postgres.PostgresConnectionString.Describe(Cadre.Postgres.PostgresConnectionString.Parse(location))
            : location;
}
