using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Realtime;
using BetweenSessions.Groups.Web.Tests.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The facilitation pages show no word that is not from resources: every part of the dashboard, the nudges page and
/// the support button, rendered in the pseudo-locale host. Allowed outside the markers: the seeded data (names, the
/// circle's name, the note, what was brought, the round's prompt and the starting prompts, the invite code and link,
/// the configured crisis resources, a time zone id) and dates in &lt;time&gt;.
/// </summary>
[Collection(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleFacilitationPagesTests(PseudoLocaleAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Dashboard_nudges_and_support_show_only_words_from_resources()
    {
        var alex = await OpenAsync(Laptop);
        await alex.RegisterAsync("Alex");
        var robin = await OpenAsync(Phone);
        await robin.RegisterAsync("Robin");
        var circle = await FacilitationCircle.MakeAsync(app, alex, robin, "Quiet Circle");
        var resources = app.Services.GetRequiredService<CircleCrisisResources>().Configured
            .SelectMany(r => new[] { r.Name, r.Phone, r.Text, r.Url }).OfType<string>().Where(s => s.Length > 0);
        string[] data =
        [
            "Alex", "Robin", circle.Name, FacilitationCircle.Note, FacilitationCircle.Brought, FacilitationCircle.Prompt,
            .. RoundPrompts.Defaults, $"{app.BaseAddress}circles?invite={circle.InviteCode}", circle.InviteCode, "UTC", "BetweenSessions", .. resources,
        ];
        var found = new Dictionary<string, IReadOnlyList<string>>();

        var page = alex.Page;
        await page.GotoAsync($"/circles/{circle.CircleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await Assertions.Expect(alex.RoundLine("Robin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.alert-item")).ToHaveCountAsync(1);
        found["dashboard, the session"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "body", data);

        foreach (var part in new[] { "people", "patterns", "setup" })
        {
            await page.ClickAsync($"#tab-{part}");
            await Assertions.Expect(page.Locator($"#tab-{part}")).ToHaveAttributeAsync("aria-selected", "true");
            if (part == "people")
            {
                // A confirmation's words too.
                await alex.MemberLine("Robin").Locator("button.small-button").Last.ClickAsync();
                await Assertions.Expect(alex.MemberLine("Robin").Locator(".confirm-removal")).ToBeVisibleAsync();
            }
            if (part == "setup") await Assertions.Expect(page.Locator("#sched-save")).ToBeVisibleAsync();
            found[$"dashboard, {part}"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "main", data);
        }

        // Alex's nudges: the support request reached them.
        await page.GotoAsync("/notifications");
        await Assertions.Expect(page.GetByTestId("nudges").Locator("li.nudge[data-kind=support]")).ToBeVisibleAsync();
        found["nudges"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "main", data);

        // Robin's support button and panel, with the request they made.
        await robin.Page.GotoAsync($"/circles/{circle.CircleId}");
        await Person.RetryUntilAsync(async () => { if (!await robin.Page.Locator("#support-panel").IsVisibleAsync()) await robin.Page.ClickAsync("#support-button"); },
            () => robin.Page.Locator("#support-panel").IsVisibleAsync(), "the support panel");
        await Assertions.Expect(robin.Page.Locator("#support-panel .support-told span")).ToBeVisibleAsync();
        found["support panel"] = await PseudoLocaleScan.UnmarkedUnderAsync(robin.Page, ".support-bar, #support-panel", data);

        var failing = found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value)).ToList();
        Assert.True(failing.Count == 0, "Words not from resources:\n" + string.Join("\n", failing));
    }

    private async Task<Person> OpenAsync(ViewportSize viewport)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport, timeZoneId: "UTC");
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
