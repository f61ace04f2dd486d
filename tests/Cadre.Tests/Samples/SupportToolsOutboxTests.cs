using System.Security.Cryptography;
using System.Text;
using Cadre.Tests.Support;
using Cadre.Tools;
using SupportDesk;

namespace Cadre.Tests.Samples;

/// <summary>The sample's outbox when several hosts of a cluster share its folder: the same email queued at the same
/// moment by many writers neither fails nor leaves half-written files behind.</summary>
public sealed class SupportToolsOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_same_email_queued_by_many_writers_at_once_never_fails_and_leaves_no_temporary_file()
    {
        const int Writers = 8;
        for (var round = 0; round < 10; round++)
        {
            var subject = $"Your invoice, round {round}";
            var hosts = Enumerable.Range(0, Writers).Select(_ => new SupportTools(new ToolEnvironment(_dir.Path, _dir.Path))).ToArray();
            using var start = new Barrier(Writers);
            var replies = new string[Writers];

            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, i =>
            {
                start.SignalAndWait();
                replies[i] = hosts[i].SendEmail(["john@example.com"], subject, "The refund is on its way.");
            });

            Assert.Single(replies.Distinct());
            Assert.Contains("queued as M-", replies[0]);
        }

        var outbox = _dir.Combine("support-desk", "outbox");
        Assert.NotEmpty(Directory.GetFiles(outbox, "*.eml"));
        Assert.Empty(Directory.GetFiles(outbox, "*.tmp"));
    }

    [Fact]
    public void An_email_is_queued_while_another_host_is_still_writing_the_same_one()
    {
        var outbox = _dir.Combine("support-desk", "outbox");
        Directory.CreateDirectory(outbox);
        const string Subject = "Your invoice";
        const string Body = "The refund is on its way.";
        var messageId = "M-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"john@example.com\n{Subject}\n{Body}")))[..10];

        // Another host is half-way through writing the same email (its temporary file open, locked).
        using (new FileStream(Path.Combine(outbox, $".{messageId}.tmp"), FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var reply = new SupportTools(new ToolEnvironment(_dir.Path, _dir.Path)).SendEmail(["john@example.com"], Subject, Body);

            Assert.Equal($"Email to john@example.com queued as {messageId}.", reply);
        }

        Assert.Single(Directory.GetFiles(outbox, $"*-{messageId}.eml"));
    }
}
