using System.Net;
using System.Net.Sockets;
using BetweenSessions.Groups.Contracts.Nudges;
using BetweenSessions.Groups.Contracts.Settings;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>A nudge is never emailed twice, even if the host stops in the middle of the SMTP conversation.</summary>
public sealed class EmailRestartTests
{
    [Fact]
    public async Task An_email_cut_off_by_a_restart_is_recorded_as_uncertain_and_never_sent_again()
    {
        using var smtp = new SmtpSink();
        smtp.Require();
        var folder = Directory.CreateTempSubdirectory("bsg-web-tests-").FullName;
        try
        {
            // A server that accepts the connection and never answers: the host stops while "sending".
            using var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            var accepted = silent.AcceptTcpClientAsync();
            EmailAppFixture.Member ren;
            TcpClient? connection = null;
            await using (var first = EmailAppFixture.OnDataFolder(smtp, folder, ((IPEndPoint)silent.LocalEndpoint).Port))
            {
                await first.InitializeAsync();
                ren = await first.CreateMemberAsync("Ren");
                await first.Grains.GetGrain<IMemberSettingsGrain>(ren.Id).SaveAsync(new MemberSettings(EmailNudges: true));
                await first.Grains.GetGrain<INudgeGrain>(ren.Id).OfferAsync(
                    new NudgeRequest("cut-off", NudgeKinds.Reflect, "Cut off mid-send", "Whatever you noticed today is enough."));
                connection = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
                var claimed = Assert.Single(await first.Grains.GetGrain<IEmailOutboxGrain>(IEmailOutboxGrain.Key).ListAsync());
                Assert.Equal(OutboxStatus.Sending, claimed.Status);
            } // the host stops here, mid-conversation (the silent server still holds the line)
            connection.Dispose();

            await using var second = EmailAppFixture.OnDataFolder(smtp, folder);
            await second.InitializeAsync();
            await second.Grains.GetGrain<INudgeGrain>(ren.Id).OfferAsync(
                new NudgeRequest("after-restart", NudgeKinds.Reflect, "After the restart", "A quiet moment, if you want one."));
            // Offering the cut-off one again is a no-op too: its key was decided before the restart.
            await second.Grains.GetGrain<INudgeGrain>(ren.Id).OfferAsync(
                new NudgeRequest("cut-off", NudgeKinds.Reflect, "Cut off mid-send", "Whatever you noticed today is enough."));

            var arrived = await smtp.WaitForAsync(ren.Email, 1);
            Assert.Equal("After the restart", Assert.Single(arrived).Subject);
            var outbox = await second.Grains.GetGrain<IEmailOutboxGrain>(IEmailOutboxGrain.Key).ListAsync();
            Assert.Equal(OutboxStatus.Uncertain, outbox.Single(e => e.Nudge.Key == "cut-off").Status);
            Assert.Equal(OutboxStatus.Sent, outbox.Single(e => e.Nudge.Key == "after-restart").Status);
            Assert.Single(smtp.To(ren.Email));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }
}
