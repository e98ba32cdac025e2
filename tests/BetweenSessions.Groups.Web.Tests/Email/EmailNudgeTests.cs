using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BetweenSessions.Groups.Contracts.Nudges;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Nudges;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>
/// Nudges by email, end to end: the app sends through a real SMTP server on loopback, and the stop link works without
/// signing in. "None arrived" is read only after a later email to someone else arrived (the outbox sends in order).
/// </summary>
[Collection(EmailAppFixture.Collection)]
public sealed partial class EmailNudgeTests(EmailAppFixture app)
{
    private SmtpSink Smtp => app.Smtp;

    [Fact]
    public async Task An_opted_in_member_gets_exactly_one_calm_email_per_nudge_with_a_one_click_stop()
    {
        Smtp.Require();
        var kai = await OptedInAsync("Kai");
        var nudges = app.Grains.GetGrain<INudgeGrain>(kai.Id);
        var first = Nudge("a-1", "A moment to reflect");
        await nudges.OfferAsync(first);
        await nudges.OfferAsync(first); // offered again (a retried reminder, say): still one email
        await nudges.OfferAsync(Nudge("a-2", "Your circle meets tomorrow"));
        await nudges.OfferAsync(Nudge("a-3", "One more thought"));

        var mail = await Smtp.WaitForAsync(kai.Email, 3);
        Assert.Equal(["A moment to reflect", "Your circle meets tomorrow", "One more thought"], mail.Select(m => m.Subject));
        var email = mail[0];
        Assert.Contains("If you like, note what stays with you", email.Text);
        Assert.Contains("nothing is lost if you let it pass", email.Text);
        Assert.DoesNotContain("missed", email.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("overdue", email.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{EmailAppFixture.PublicUrl}/circles", email.Text);
        var stop = StopLink(email);
        Assert.StartsWith($"{EmailAppFixture.PublicUrl}/nudges/stop?token=", stop);
        Assert.Contains(stop, email.Text);
        Assert.Contains("Stop email nudges", email.Html);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("nudges@circles.example.test", email.From);
        // The in-app list has them too.
        Assert.Equal(3, (await nudges.ListAsync()).Count);
    }

    [Fact]
    public async Task No_email_without_opting_in_while_paused_or_with_email_off_and_quiet_hours_hold_it_until_they_end()
    {
        Smtp.Require();
        var notOptedIn = await app.CreateMemberAsync("Noor");
        var paused = await app.CreateMemberAsync("Pia");
        await Settings(paused).SaveAsync(new MemberSettings(PauseAllNudges: true, EmailNudges: true));
        var quiet = await app.CreateMemberAsync("Quinn");
        // Quiet since an hour ago until the start of the minute after next, in their own zone.
        var now = DateTimeOffset.UtcNow;
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(2);
        await Settings(quiet).SaveAsync(new MemberSettings(QuietFrom: now.AddHours(-1).ToString("HH:mm"), QuietTo: end.ToString("HH:mm"),
            TimeZoneId: "UTC", EmailNudges: true));

        await app.Grains.GetGrain<INudgeGrain>(notOptedIn.Id).OfferAsync(Nudge("b-1", "For the app only"));
        await app.Grains.GetGrain<INudgeGrain>(paused.Id).OfferAsync(Nudge("b-2", "Held back"));
        var quietDecision = await app.Grains.GetGrain<INudgeGrain>(quiet.Id).OfferAsync(Nudge("b-3", "After your quiet hours"));
        Assert.Equal(NudgeDecisionKind.Defer, quietDecision.Kind);
        await MarkerAsync();

        Assert.Empty(Smtp.To(notOptedIn.Email));
        Assert.Single(await app.Grains.GetGrain<INudgeGrain>(notOptedIn.Id).ListAsync());
        Assert.Empty(Smtp.To(paused.Email));
        Assert.Empty(Smtp.To(quiet.Email));

        // When quiet hours end, the durable reminder delivers it: in the app and, once, by email.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (Smtp.To(quiet.Email).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        var arrived = Assert.Single(Smtp.To(quiet.Email));
        Assert.Equal("After your quiet hours", arrived.Subject);
        Assert.True(DateTimeOffset.UtcNow >= end);
    }

    [Fact]
    public async Task The_stop_link_asks_once_then_turns_email_off_and_the_next_nudge_arrives_in_the_app_only()
    {
        Smtp.Require();
        var lee = await OptedInAsync("Lee");
        await app.Grains.GetGrain<INudgeGrain>(lee.Id).OfferAsync(Nudge("c-1", "A first nudge"));
        var stop = StopLink(Assert.Single(await Smtp.WaitForAsync(lee.Email, 1)));

        using var http = app.Anonymous();
        var page = await GetHtmlAsync(http, stop);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Stop email nudges?", html);
        Assert.True((await Settings(lee).GetAsync()).EmailNudges, "opening the link alone changes nothing");
        var token = WebUtility.HtmlDecode(HiddenToken().Match(html).Groups[1].Value);

        var done = await http.PostAsync("/nudges/stop", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Email nudges are off", await done.Content.ReadAsStringAsync());
        Assert.False((await Settings(lee).GetAsync()).EmailNudges);

        await app.Grains.GetGrain<INudgeGrain>(lee.Id).OfferAsync(Nudge("c-2", "A second nudge"));
        await MarkerAsync();
        Assert.Single(Smtp.To(lee.Email));
        Assert.Contains(await app.Grains.GetGrain<INudgeGrain>(lee.Id).ListAsync(), n => n.Title == "A second nudge");
    }

    [Fact]
    public async Task A_mail_apps_one_click_post_to_the_list_unsubscribe_address_turns_email_off()
    {
        Smtp.Require();
        var max = await OptedInAsync("Max");
        await app.Grains.GetGrain<INudgeGrain>(max.Id).OfferAsync(Nudge("d-1", "A nudge"));
        var stop = StopLink(Assert.Single(await Smtp.WaitForAsync(max.Email, 1)));

        using var http = app.Anonymous();
        // RFC 8058: a POST to the header's address with this body, no cookie and no other state.
        var response = await http.PostAsync(Local(stop),
            new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await Settings(max).GetAsync()).EmailNudges);

        await app.Grains.GetGrain<INudgeGrain>(max.Id).OfferAsync(Nudge("d-2", "In the app only"));
        await MarkerAsync();
        Assert.Single(Smtp.To(max.Email));
    }

    [Fact]
    public async Task Forged_damaged_expired_or_missing_tokens_get_a_calm_problem_and_change_nothing()
    {
        Smtp.Require();
        var ada = await OptedInAsync("Ada");
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>();
        var real = app.Services.GetRequiredService<NudgeStopTokens>().Create(ada.Id);
        string[] bad =
        [
            "not-a-token",
            real[..^6] + (real[^6..] == "AAAAAA" ? "BBBBBB" : "AAAAAA"),
            protector.CreateProtector(NudgeStopTokens.Purpose).ToTimeLimitedDataProtector().Protect(ada.Id, DateTimeOffset.UtcNow.AddMinutes(-1)),
            protector.CreateProtector("some other purpose").ToTimeLimitedDataProtector().Protect(ada.Id, DateTimeOffset.UtcNow.AddDays(1)),
        ];
        using var http = app.Anonymous();
        foreach (var token in bad)
        {
            var url = $"/nudges/stop?token={Uri.EscapeDataString(token)}";
            var page = await GetHtmlAsync(http, url);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("This link does not work any more", html);
            Assert.Contains("Nothing was changed", html);
            Assert.DoesNotContain("<form", html);

            var post = await http.PostAsync(url, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
            Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Nothing was changed", await post.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await GetHtmlAsync(http, "/nudges/stop")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/nudges/stop", new FormUrlEncodedContent([]))).StatusCode);
        Assert.True((await Settings(ada).GetAsync()).EmailNudges);
    }

    private async Task<EmailAppFixture.Member> OptedInAsync(string name)
    {
        var member = await app.CreateMemberAsync(name);
        await Settings(member).SaveAsync(new MemberSettings(EmailNudges: true));
        return member;
    }

    /// <summary>An email to someone else, offered after the others and waited for: everything before it has been sent.</summary>
    private async Task MarkerAsync()
    {
        var marker = await OptedInAsync("Marker");
        await app.Grains.GetGrain<INudgeGrain>(marker.Id).OfferAsync(Nudge("marker", "Marker"));
        Assert.Single(await Smtp.WaitForAsync(marker.Email, 1));
    }

    private IMemberSettingsGrain Settings(EmailAppFixture.Member member) => app.Grains.GetGrain<IMemberSettingsGrain>(member.Id);

    private static NudgeRequest Nudge(string key, string title) =>
        new(key, NudgeKinds.Reflect, title, "If you like, note what stays with you from today's session.", "circles");

    internal static string StopLink(ReceivedEmail email) => email.Headers["List-Unsubscribe"].Trim('<', '>');

    /// <summary>The stop link's path and query on the app under test (emails name the public address).</summary>
    internal static string Local(string link) => new Uri(link).PathAndQuery;

    private static Task<HttpResponseMessage> GetHtmlAsync(HttpClient http, string link)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, link.StartsWith("http") ? Local(link) : link);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return http.SendAsync(request);
    }

    [GeneratedRegex("name=\"token\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenToken();
}
