using System.Text.Json;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// What the phone does with a push once it arrives: the app's service worker shows it with the generic words it
/// carries, one notification per nudge however often it is resent, and links only into the app. Chromium delivers the
/// push to the installed worker itself (DevTools' ServiceWorker.deliverPushMessage), as a push service would.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class PushNotificationBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private Person? _robin;

    [Fact]
    public async Task A_push_shows_its_generic_words_once_per_nudge_and_never_links_out_of_the_app()
    {
        _robin = await Person.OpenAsync(browsers.Browser, app.BaseAddress, new ViewportSize { Width = 390, Height = 844 }, touch: true);
        var page = _robin.Page;
        await page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = app.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await _robin.RegisterAsync("Robin");
        // An active worker is all a push needs; whether it already controls this page does not matter here.
        Assert.True(await page.EvaluateAsync<bool>(
            "async () => !!(await Promise.race([navigator.serviceWorker.ready, new Promise(r => setTimeout(() => r(null), 60000))]))?.active"),
            "The app's service worker did not become active.");

        var cdp = await page.Context.NewCDPSessionAsync(page);
        var registration = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, update) =>
        {
            foreach (var r in update!.Value.GetProperty("registrations").EnumerateArray())
                if (!r.GetProperty("isDeleted").GetBoolean()) registration.TrySetResult(r.GetProperty("registrationId").GetString()!);
        };
        await cdp.SendAsync("ServiceWorker.enable");
        var registrationId = await registration.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Task DeliverAsync(object payload) => cdp.SendAsync("ServiceWorker.deliverPushMessage", new()
        {
            ["origin"] = app.BaseAddress.GetLeftPart(UriPartial.Authority),
            ["registrationId"] = registrationId,
            ["data"] = JsonSerializer.Serialize(payload),
        });

        // As the server sends a cue reminder: twice (a resend after a lost answer), then another nudge.
        var cue = new { title = "Something from your circle", body = "Open it when it suits you.", url = "/notifications", tag = "cue:abc:2026-12-06T18:00" };
        await DeliverAsync(cue);
        await DeliverAsync(cue);
        await DeliverAsync(new { title = "Something from your circle", body = "Open it when it suits you.", url = "https://elsewhere.example/phish", tag = "reflect:xyz" });

        var shown = await ShownAsync(page, expected: 2);
        Assert.Equal(2, shown.Length);
        Assert.All(shown, n =>
        {
            Assert.Equal("Something from your circle", n.Title);
            Assert.Equal("Open it when it suits you.", n.Body);
        });
        Assert.Equal("/notifications", shown.Single(n => n.Tag == "cue:abc:2026-12-06T18:00").Url);
        // A link that leaves the app is never followed from a notification: it opens the person's own list instead.
        Assert.Equal("/notifications", shown.Single(n => n.Tag == "reflect:xyz").Url);

        // A push the worker cannot read still shows calm words rather than nothing or an error.
        await cdp.SendAsync("ServiceWorker.deliverPushMessage", new()
        {
            ["origin"] = app.BaseAddress.GetLeftPart(UriPartial.Authority),
            ["registrationId"] = registrationId,
            ["data"] = "not json",
        });
        var afterDamaged = await ShownAsync(page, expected: 3);
        // Pushes are handled in order, so by now a second notification for the resent cue would be here too.
        Assert.True(afterDamaged.Length == 3, string.Join(" / ", afterDamaged.Select(n => n.ToString())));
        Assert.Contains(afterDamaged, n => n.Tag == "" && n.Title == "Something from your circle" && n.Url == "/notifications");
    }

    private sealed record Shown(string Title, string Body, string Tag, string Url);

    /// <summary>The worker's notifications once there are <paramref name="expected"/> of them (or whatever is there after a while).</summary>
    private static async Task<Shown[]> ShownAsync(IPage page, int expected)
    {
        Shown[] shown = [];
        for (var i = 0; i < 300 && shown.Length < expected; i++)
        {
            if (i > 0) await Task.Delay(100);
            var json = await page.EvaluateAsync<string>("""
                async () => {
                    const registration = await navigator.serviceWorker.ready;
                    const list = await registration.getNotifications();
                    return JSON.stringify(list.map(n => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url })));
                }
                """);
            shown = JsonSerializer.Deserialize<Shown[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        return shown;
    }

    public async ValueTask DisposeAsync()
    {
        if (_robin is not null) await _robin.DisposeAsync();
    }
}
