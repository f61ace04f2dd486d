using Cadre.Sqlite;
using Cadre.Testing.Contracts;
using Cadre.Tests.Support;
using Cadre.Tools;

namespace Cadre.Tests.Tools;

/// <summary>The audit log survives reopening the workspace file (the behaviour every store shares is in the contract
/// suites).</summary>
public sealed class SqliteToolStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Audit_entries_survive_reopening_the_workspace()
    {
        await using (var workspace = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre")))
        {
            await workspace.Audit.AppendAsync(AuditLogContract.Entry(1));
        }

        await using var reopened = await SqliteWorkspace.OpenAsync(_dir.Combine(".cadre"));
        Assert.Equal([AuditLogContract.Entry(1)], await reopened.Audit.QueryAsync(new AuditQuery()));
    }
}
