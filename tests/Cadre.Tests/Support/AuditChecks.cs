using System.Text.Json.Nodes;

namespace Cadre.Tests.Support;

/// <summary>Checks on <c>cadre audit --json</c> output.</summary>
public static class AuditChecks
{
    /// <summary>Each of the support-desk sample's side-effecting tools executed once, counted from the audit log (executions,
    /// not de-duplicated effects). A crash between a tool's return and its ledger record repeats the (idempotent) call
    /// under the same key; the audit shows that as a second execution of the same key, and says so.</summary>
    public static void SideEffectsExecutedOnce(string auditJson, string what)
    {
        var entries = JsonNode.Parse(auditJson)!.AsArray().Select(e => e!.AsObject()).ToList();
        foreach (var tool in new[] { "create_ticket", "send_email" })
        {
            var executed = entries.Where(e => (string)e["tool"]! == tool && (int)e["executions"]! > 0).ToList();
            var executions = executed.Sum(e => (int)e["executions"]!);
            var repeated = executed.Count == 2 && executed.Select(e => (string)e["key"]!).Distinct().Count() == 1
                && ((string?)executed[1]["detail"] ?? "").Contains("made again under the same key", StringComparison.Ordinal);
            Assert.True(executions == 1 || repeated, $"{what}: {tool} executed {executions} times:\n{auditJson}");
        }
    }
}
