using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Contracts.Nudges;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// Push notifications end to end: people subscribe through the API with a browser's keys, the app sends to a push
/// service of our own on loopback, and each push is checked as a browser and a push service would (VAPID signature,
/// aes128gcm decryption). "None arrived" is read only after a later push arrived: the sender sends in order.
/// </summary>
[Collection(PushAppFixture.Collection)]
public sealed class PushDeliveryTests(PushAppFixture app)
{
    private PushServiceSink Sink => app.Sink;

    [Fact]
    public async Task Each_person_gets_only_the_kinds_they_switched_on_and_a_push_says_nothing_private()
    {
        var facilitator = await app.RegisterAsync("Farah");
        var member = await app.RegisterAsync("Milo");
        var circle = await facilitator.CircleWithMembersAsync(member);
        var ids = (await facilitator.CircleAsync(circle.CircleId)).Members.ToDictionary(m => m.DisplayName, m => m.MemberId);
        using var farahPhone = await SubscribeAsync(facilitator);
        using var miloPhone = await SubscribeAsync(member);
        await SwitchAsync(facilitator, NudgeKinds.Brought, true);
        await SwitchAsync(member, NudgeKinds.Reflect, true);

        var circleGrain = app.Grains.GetGrain<ICircleGrain>(circle.CircleId);
        // Support is not switched on for Farah: in her app list, not on her phone.
        await circleGrain.RequestSupportAsync(ids["Milo"], new RequestSupportDraft(null, "Milo's secret note about panic"));
        var brought = await circleGrain.BringToSessionAsync(ids["Milo"],
            new BringToSessionDraft(null, "Milo's private worry about grief", "facilitators"));
        // Cue is not switched on for Milo; reflect is.
        await app.Grains.GetGrain<INudgeGrain>(ids["Milo"]).OfferAsync(new NudgeRequest("cue:test:1", NudgeKinds.Cue,
            "Around 08:00: breathe slowly", "If today is a day to rest, that counts too."));
        await app.Grains.GetGrain<INudgeGrain>(ids["Milo"]).OfferAsync(new NudgeRequest($"reflect:{circle.CircleId:N}:s1", NudgeKinds.Reflect,
            "A moment to reflect, if you like", "Feeling anxious after the session?", $"/circles/{circle.CircleId}", null, circle.CircleId));

        var toMilo = Assert.Single(await Sink.WaitForAsync(miloPhone));
        var toFarah = Assert.Single(await Sink.WaitForAsync(farahPhone)); // the support request came before, and did not come
        var key = await PublicKeyAsync(member);
        foreach (var push in new[] { toMilo, toFarah })
        {
            Assert.Equal("POST", push.Method);
            // Lib.Net.Http.WebPush names the audience without the port; real push services listen on 443, where the
            // two are the same origin. This sink cannot, so the port is left out here.
            push.VerifyVapid(key, $"http://127.0.0.1");
        }

        var farahSees = farahPhone.Decrypt(toFarah);
        Assert.Equal("Something from your circle", (string?)farahSees["title"]);
        Assert.Equal($"brought:{circle.CircleId:N}:{brought.EventId:N}", (string?)farahSees["tag"]);
        Assert.Equal($"/circles/{circle.CircleId}/facilitate", (string?)farahSees["url"]);
        var miloSees = miloPhone.Decrypt(toMilo);
        Assert.Equal("Something from your circle", (string?)miloSees["title"]);
        Assert.Equal($"reflect:{circle.CircleId:N}:s1", (string?)miloSees["tag"]);
        foreach (var seen in new[] { farahSees, miloSees })
        {
            var text = seen.ToJsonString();
            foreach (var secret in new[] { "Milo", "Farah", circle.Name, "secret", "worry", "grief", "anxious", "panic", "breathe" })
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
        // Nothing private on the wire either, before decryption.
        Assert.DoesNotContain("Milo", System.Text.Encoding.UTF8.GetString(toFarah.Body), StringComparison.OrdinalIgnoreCase);
        // The in-app list still has what the phone did not get.
        Assert.Contains(await app.Grains.GetGrain<INudgeGrain>(ids["Farah"]).ListAsync(), n => n.Kind == NudgeKinds.Support);
    }

    [Fact]
    public async Task Quiet_hours_pause_and_once_per_nudge_hold_for_push_too()
    {
        var quiet = await app.RegisterAsync("Quinn");
        var paused = await app.RegisterAsync("Pia");
        var twice = await app.RegisterAsync("Tove");
        var quietId = await MemberIdAsync(quiet);
        var pausedId = await MemberIdAsync(paused);
        var twiceId = await MemberIdAsync(twice);
        using var quietPhone = await SubscribeAsync(quiet);
        using var pausedPhone = await SubscribeAsync(paused);
        using var twicePhone = await SubscribeAsync(twice);
        foreach (var person in new[] { quiet, paused, twice }) await SwitchAsync(person, NudgeKinds.Reflect, true);
        // Quiet since an hour ago until the start of the minute after next, in their own zone.
        var now = DateTimeOffset.UtcNow;
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(2);
        await app.Grains.GetGrain<IMemberSettingsGrain>(quietId).SaveAsync(new MemberSettings(QuietFrom: now.AddHours(-1).ToString("HH:mm"),
            QuietTo: end.ToString("HH:mm"), TimeZoneId: "UTC"));
        await app.Grains.GetGrain<IMemberSettingsGrain>(pausedId).SaveAsync(new MemberSettings(PauseAllNudges: true));

        var decision = await app.Grains.GetGrain<INudgeGrain>(quietId).OfferAsync(Reflect("q-1"));
        Assert.Equal(NudgeDecisionKind.Defer, decision.Kind);
        await app.Grains.GetGrain<INudgeGrain>(pausedId).OfferAsync(Reflect("p-1"));
        await app.Grains.GetGrain<INudgeGrain>(twiceId).OfferAsync(Reflect("t-1"));
        await app.Grains.GetGrain<INudgeGrain>(twiceId).OfferAsync(Reflect("t-1")); // offered again: still one push
        await app.Grains.GetGrain<INudgeGrain>(twiceId).OfferAsync(Reflect("t-2"));

        var toTove = await Sink.WaitForAsync(twicePhone, 2);
        Assert.Equal(["t-1", "t-2"], toTove.Select(p => (string?)twicePhone.Decrypt(p)["tag"]));
        Assert.Empty(Sink.To(pausedPhone));
        Assert.Empty(Sink.To(quietPhone));

        // When the quiet hours end, the nudge is delivered, and its push goes with it, once.
        var afterQuiet = Assert.Single(await WaitLongAsync(quietPhone));
        Assert.Equal("q-1", (string?)quietPhone.Decrypt(afterQuiet)["tag"]);
        Assert.Empty(Sink.To(pausedPhone));
    }

    [Fact]
    public async Task A_subscription_the_push_service_says_is_gone_is_removed_and_not_sent_to_again()
    {
        var person = await app.RegisterAsync("Gus");
        var id = await MemberIdAsync(person);
        using var oldPhone = await SubscribeAsync(person);
        using var newPhone = await SubscribeAsync(person);
        await SwitchAsync(person, NudgeKinds.Cue, true);
        Assert.Equal(2, (await app.EndpointsOfAsync(id)).Count);
        Sink.MarkGone(oldPhone);

        await app.Grains.GetGrain<INudgeGrain>(id).OfferAsync(new NudgeRequest("g-1", NudgeKinds.Cue, "Around 9", "Rest counts too."));
        await Sink.WaitForAsync(oldPhone);
        await Sink.WaitForAsync(newPhone);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await app.EndpointsOfAsync(id)).Contains(oldPhone.Endpoint) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal([newPhone.Endpoint], await app.EndpointsOfAsync(id));

        await app.Grains.GetGrain<INudgeGrain>(id).OfferAsync(new NudgeRequest("g-2", NudgeKinds.Cue, "Around 10", "Rest counts too."));
        await Sink.WaitForAsync(newPhone, 2);
        Assert.Single(Sink.To(oldPhone));

        // The endpoint is a capability (whoever has it can push to that phone): the logs name the service, not the path.
        Assert.Contains(app.Logs.Entries, e => e.Contains("has ended (410)"));
        foreach (var secret in new[] { oldPhone, newPhone }.Select(p => new Uri(p.Endpoint).AbsolutePath.Split('/')[^1]))
            Assert.DoesNotContain(app.Logs.Entries, e => e.Contains(secret));
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_subscription_of_the_person_and_only_theirs()
    {
        var leaving = await app.RegisterAsync("Lena");
        var staying = await app.RegisterAsync("Sami");
        using var phone = await SubscribeAsync(leaving);
        using var laptop = await SubscribeAsync(leaving);
        using var other = await SubscribeAsync(staying);
        var leavingId = await MemberIdAsync(leaving);
        Assert.Equal(2, (await app.EndpointsOfAsync(leavingId)).Count);

        (await leaving.Http.PostAsync("/api/me/sign-out-everywhere", null)).EnsureSuccessStatusCode();

        Assert.Empty(await app.EndpointsOfAsync(leavingId));
        Assert.Single(await app.EndpointsOfAsync(await MemberIdAsync(staying)));
    }

    [Fact]
    public async Task A_measure_nudge_reaches_the_phone_only_when_switched_on_and_never_names_the_measure()
    {
        var person = await app.RegisterAsync("Oona");
        var memberId = await MemberIdAsync(person);
        using var phone = await SubscribeAsync(person);
        var circleId = Guid.NewGuid();
        NudgeRequest Measure(string key) => new(key, NudgeKinds.Measure, "Mood scale is open, if you like",
            "Skipping an item, or \"not this week\", counts as an answer.", $"/circles/{circleId}/measures", null, circleId, ["Mood scale"]);

        // Off until chosen: in the app list, not on the phone.
        await app.Grains.GetGrain<INudgeGrain>(memberId).OfferAsync(Measure("measure:push:1"));
        await SwitchAsync(person, NudgeKinds.Measure, true);
        await app.Grains.GetGrain<INudgeGrain>(memberId).OfferAsync(Measure("measure:push:2"));

        var push = Assert.Single(await Sink.WaitForAsync(phone));
        var seen = phone.Decrypt(push);
        Assert.Equal("measure:push:2", (string?)seen["tag"]);
        Assert.Equal($"/circles/{circleId}/measures", (string?)seen["url"]);
        // A lock screen is seen by others: which questionnaire someone answers is theirs alone.
        foreach (var secret in new[] { "Mood", "scale", "measure is open", "not this week" })
            Assert.DoesNotContain(secret, (string?)seen["title"] + (string?)seen["body"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, (await app.Grains.GetGrain<INudgeGrain>(memberId).ListAsync()).Count(n => n.Kind == NudgeKinds.Measure));
    }

    [Fact]
    public async Task The_switches_are_off_until_chosen_and_read_back_with_whether_this_device_is_on()
    {
        var person = await app.RegisterAsync("Ines");
        var status = await person.Http.GetFromJsonAsync<JsonObject>("/api/me/push");
        Assert.Equal(false, (bool?)status!["thisDevice"]);
        Assert.All(PushChoicesKinds, k => Assert.Equal(false, (bool?)status["kinds"]![k]));

        await SwitchAsync(person, NudgeKinds.Support, true);
        var after = await person.Http.GetFromJsonAsync<JsonObject>("/api/me/push");
        Assert.Equal(true, (bool?)after!["kinds"]!["support"]);
        Assert.Equal(false, (bool?)after["kinds"]!["cue"]);

        var unknown = await person.Http.PutAsJsonAsync("/api/me/push", new { kind = "everything", on = true });
        var problem = await unknown.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("kind", problem.Errors!.Keys);
    }

    private static readonly string[] PushChoicesKinds = ["reflect", "cue", "support", "brought", "measure"];

    private static NudgeRequest Reflect(string key) => new(key, NudgeKinds.Reflect, "A moment to reflect, if you like", "What stays with you?");

    private async Task<TestBrowserSubscription> SubscribeAsync(TestUser user)
    {
        // A phone of its own: one browser keeps only its newest subscription.
        var subscription = Sink.NewSubscription();
        using var phone = app.OnAnotherDevice(user);
        var response = await phone.PutAsJsonAsync("/api/me/push-subscription", subscription.ToJson());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return subscription;
    }

    private static async Task SwitchAsync(TestUser user, string kind, bool on) =>
        (await user.Http.PutAsJsonAsync("/api/me/push", new { kind, on })).EnsureSuccessStatusCode();

    private static async Task<string> PublicKeyAsync(TestUser user) =>
        (string)(await user.Http.GetFromJsonAsync<JsonObject>("/api/push/key"))!["publicKey"]!;

    private static async Task<string> MemberIdAsync(TestUser user)
    {
        var circle = await user.CreateCircleAsync($"Own {Guid.NewGuid():N}"[..12], user.Nickname);
        return (await user.CircleAsync(circle.CircleId)).Members.Single().MemberId;
    }

    /// <summary>Up to four minutes: for a nudge that waits for quiet hours to end.</summary>
    private async Task<IReadOnlyList<ReceivedPush>> WaitLongAsync(TestBrowserSubscription subscription)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (Sink.To(subscription).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        return Sink.To(subscription);
    }
}
