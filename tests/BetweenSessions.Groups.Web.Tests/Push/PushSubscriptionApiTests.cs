using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// What the server accepts as a push subscription: only endpoints at known push services (or one configured), so
/// nobody can make it POST to an internal address; well-formed keys; a few per person; and each browser's subscription
/// ends when someone signs out there.
/// </summary>
[Collection(PushAppFixture.Collection)]
public sealed partial class PushSubscriptionApiTests(PushAppFixture app)
{
    [Fact]
    public async Task Endpoints_outside_the_push_services_and_malformed_keys_are_refused_with_problem_details()
    {
        var person = await app.RegisterAsync("Vera");
        var good = app.Sink.NewSubscription();
        var keys = new { p256dh = Base64Url.EncodeToString(good.PublicKey), auth = Base64Url.EncodeToString(new byte[16]) };
        foreach (var endpoint in new[]
                 {
                     "http://169.254.169.254/latest/meta-data", // an internal address
                     "https://internal.example.test/push/1",
                     "http://fcm.googleapis.com/fcm/send/abc", // a push service, but not over https
                     "https://fcm.googleapis.com:8443/fcm/send/abc",
                     "https://someone@fcm.googleapis.com/fcm/send/abc",
                     "https://evil.push.services.mozilla.com.example.test/wpush/v2/abc",
                     $"http://127.0.0.1:{app.Sink.Port + 1}/push/1", // loopback, but not the configured service
                     "https://fcm.googleapis.com/fcm/send/" + new string('a', 900),
                     "not a url",
                 })
        {
            var response = await person.Http.PutAsJsonAsync("/api/me/push-subscription", new { endpoint, keys });
            var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["endpoint"], problem.Errors!.Keys);
        }

        var badKeys = await person.Http.PutAsJsonAsync("/api/me/push-subscription", new
        {
            endpoint = "https://fcm.googleapis.com/fcm/send/abc",
            keys = new { p256dh = Base64Url.EncodeToString(new byte[64]), auth = Base64Url.EncodeToString(new byte[8]) },
        });
        var keyProblem = await badKeys.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["keys.auth", "keys.p256dh"], keyProblem.Errors!.Keys.Order());

        var notAPoint = await person.Http.PutAsJsonAsync("/api/me/push-subscription", new
        {
            endpoint = "https://fcm.googleapis.com/fcm/send/abc",
            keys = new { p256dh = Base64Url.EncodeToString([4, .. new byte[64]]), auth = keys.auth },
        });
        Assert.Equal(["keys.p256dh"], (await notAPoint.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys);

        // Each known service, in the form browsers hand out.
        foreach (var endpoint in new[]
                 {
                     "https://fcm.googleapis.com/fcm/send/abc:def",
                     "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
                     "https://web.push.apple.com/QGuQyavX",
                     "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",
                 })
        {
            var response = await person.Http.PutAsJsonAsync("/api/me/push-subscription", new { endpoint, keys });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    [Fact]
    public async Task Push_api_needs_a_signed_in_person()
    {
        var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/push/key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/push")).StatusCode);
        var subscription = app.Sink.NewSubscription();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync("/api/me/push-subscription", subscription.ToJson())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/me/push-subscription")).StatusCode);
    }

    [Fact]
    public async Task A_person_keeps_a_few_devices_at_most_and_the_newest_win()
    {
        var person = await app.RegisterAsync("Nell");
        var id = await MemberIdAsync(person);
        var phones = Enumerable.Range(0, 7).Select(_ => app.Sink.NewSubscription()).ToList();
        foreach (var phone in phones)
        {
            // Each phone a client of its own, with its own device cookie: one browser keeps only its newest subscription.
            using var onPhone = app.OnAnotherDevice(person);
            Assert.Equal(HttpStatusCode.NoContent, (await onPhone.PutAsJsonAsync("/api/me/push-subscription", phone.ToJson())).StatusCode);
        }
        Assert.Equal(phones.Skip(2).Select(p => p.Endpoint).Order(), (await app.EndpointsOfAsync(id)).Order());
    }

    [Fact]
    public async Task Signing_out_on_one_browser_ends_that_browsers_subscription_only_and_turning_it_off_there_too()
    {
        var email = $"olga.{Guid.NewGuid():N}@example.test";
        var anonymous = app.Anonymous();
        (await anonymous.PostAsJsonAsync("/api/identity/register", new { email, password = GroupsAppFixture.Password })).EnsureSuccessStatusCode();
        var phone = await CookieBrowserAsync(email);
        var laptop = await CookieBrowserAsync(email);
        var onPhone = app.Sink.NewSubscription();
        var onLaptop = app.Sink.NewSubscription();
        Assert.Equal(HttpStatusCode.NoContent, (await phone.PutAsJsonAsync("/api/me/push-subscription", onPhone.ToJson())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await laptop.PutAsJsonAsync("/api/me/push-subscription", onLaptop.ToJson())).StatusCode);
        var id = (await (await laptop.PostAsJsonAsync("/api/circles", new { name = "Own circle", displayName = "Olga" }))
            .Content.ReadFromJsonAsync<CircleCreated>())!.CircleId;
        var memberId = (await (await laptop.GetAsync($"/api/circles/{id}")).Content.ReadFromJsonAsync<CircleDetails>())!.Members.Single().MemberId;
        Assert.Equal(2, (await app.EndpointsOfAsync(memberId)).Count);

        // The sign-out form as the pages post it, with its antiforgery token.
        var page = await (await phone.GetAsync("/")).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "No sign-out form with a token on the home page");
        var signedOut = await phone.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
        Assert.True(signedOut.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK, $"{signedOut.StatusCode}");
        Assert.Equal([onLaptop.Endpoint], await app.EndpointsOfAsync(memberId));

        // The laptop's browser renews its subscription (pushsubscriptionchange): the new one replaces the old.
        var renewed = app.Sink.NewSubscription();
        Assert.Equal(HttpStatusCode.NoContent, (await laptop.PutAsJsonAsync("/api/me/push-subscription", renewed.ToJson())).StatusCode);
        Assert.Equal([renewed.Endpoint], await app.EndpointsOfAsync(memberId));

        Assert.Equal(HttpStatusCode.NoContent, (await laptop.DeleteAsync("/api/me/push-subscription")).StatusCode);
        Assert.Empty(await app.EndpointsOfAsync(memberId));
    }

    [GeneratedRegex("""<form[^>]*action="account/logout"[^>]*>.*?name="__RequestVerificationToken"[^>]*value="([^"]+)""", RegexOptions.Singleline)]
    private static partial Regex AntiforgeryToken();

    /// <summary>A browser-like client: signed in with the cookie, keeping cookies (the device cookie too), not following redirects.</summary>
    private async Task<HttpClient> CookieBrowserAsync(string email)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = app.BaseAddress,
        };
        (await http.PostAsJsonAsync("/api/identity/login?useCookies=true", new { email, password = GroupsAppFixture.Password })).EnsureSuccessStatusCode();
        return http;
    }

    private static async Task<string> MemberIdAsync(TestUser user)
    {
        var circle = await user.CreateCircleAsync($"Own {Guid.NewGuid():N}"[..12], user.Nickname);
        return (await user.CircleAsync(circle.CircleId)).Members.Single().MemberId;
    }
}
