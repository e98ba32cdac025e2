using System.Text.RegularExpressions;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>"My patterns", from a phone: a member's own check-ins as a picture and words, never anyone else's.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class PatternsBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_member_sees_their_own_check_ins_as_a_picture_and_words_and_never_another_members()
    {
        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        await facilitator.StartCircleAsync("Patterns circle");
        var inviteCode = await facilitator.InviteCodeAsync();

        var robin = await OpenBrowserAsync(Phone);
        await robin.RegisterAsync("Robin");
        var circleId = await robin.JoinCircleAsync(inviteCode, "Robin");
        var noor = await OpenBrowserAsync(Phone);
        await noor.RegisterAsync("Noor");
        await noor.JoinCircleAsync(inviteCode, "Noor");

        await robin.CheckInWithFeelingsAsync("Steady", "calm, hopeful", "Morning walk done.");
        await robin.CheckInWithFeelingsAsync("Low on capacity", "tired, calm", "Long day.", "Only me");
        await robin.CheckInWithFeelingsAsync("Open and available", "Calm", "Good talk.", "Facilitators only");
        await noor.CheckInWithFeelingsAsync("Resting", "noorsword, elsewhere", "Noor's own.");
        await Assertions.Expect(robin.FeedCheckIn("Noor's own.")).ToBeVisibleAsync();

        // From the circle page header, one step.
        await robin.Page.GetByRole(AriaRole.Link, new() { Name = "My patterns" }).ClickAsync();
        await Assertions.Expect(robin.Page).ToHaveURLAsync(new Regex($"/circles/{circleId}/patterns$"));
        var page = robin.Page;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My patterns", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("This is only for you. Nobody else sees this page.");

        var words = page.Locator("[data-testid=feeling-words] ul.feeling-words");
        await Assertions.Expect(words).ToBeVisibleAsync();
        var shown = (await words.Locator("li").AllInnerTextsAsync()).Select(w => w.Trim().ToLowerInvariant()).ToList();
        Assert.Equal("calm", shown[0]); // used most, so first
        Assert.Equal(["calm", "hopeful", "tired"], shown.Order());
        var wordsText = await words.InnerTextAsync();
        Assert.DoesNotContain("noorsword", wordsText);
        Assert.DoesNotContain("elsewhere", wordsText);
        Assert.DoesNotMatch(new Regex(@"\d"), wordsText);

        // The chart, and its text alternative with every one of Robin's capacities, private ones included.
        await Assertions.Expect(page.Locator(".capacity-chart svg").First).ToBeVisibleAsync();
        var table = page.Locator("details.chart-table");
        await table.Locator("summary").ClickAsync();
        await Assertions.Expect(table.Locator("td")).ToContainTextAsync("Steady");
        await Assertions.Expect(table.Locator("td")).ToContainTextAsync("Low on capacity");
        await Assertions.Expect(table.Locator("td")).ToContainTextAsync("Open and available");
        Assert.DoesNotContain("Resting", await table.InnerTextAsync());
        await Assertions.Expect(page.Locator("[data-testid=most-like-myself]")).ToContainTextAsync("steady or open most often on");

        var main = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("%", main);
        Assert.DoesNotMatch(new Regex("streak|missed|score|percent|in a row", RegexOptions.IgnoreCase), main);
        Assert.DoesNotContain("Noor", main);

        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "patterns.png"), FullPage = true });

        // Another member's own page shows only theirs.
        await noor.Page.GotoAsync($"/circles/{circleId}/patterns");
        var noorsWords = noor.Page.Locator("[data-testid=feeling-words] ul.feeling-words");
        await Assertions.Expect(noorsWords).ToContainTextAsync("noorsword");
        Assert.DoesNotContain("hopeful", await noorsWords.InnerTextAsync());
    }

    [Fact]
    public async Task Someone_outside_the_circle_is_told_calmly_and_sees_nothing()
    {
        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        var circleId = await facilitator.StartCircleAsync("Closed circle");
        await facilitator.CheckInWithFeelingsAsync("Steady", "private-word", "Mine.");

        var outsider = await OpenBrowserAsync(Phone);
        await outsider.RegisterAsync("Sam");
        await outsider.Page.GotoAsync($"/circles/{circleId}/patterns");
        await Assertions.Expect(outsider.Page.Locator("p.form-error")).ToBeVisibleAsync();
        Assert.DoesNotContain("private-word", await outsider.Page.Locator("main").InnerTextAsync());
    }

    private async Task<Person> OpenBrowserAsync(ViewportSize? viewport = null)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}

/// <summary>Checking in with feeling words (Person.CheckInAsync leaves them empty).</summary>
public static class PatternsSteps
{
    public static async Task CheckInWithFeelingsAsync(this Person person, string capacity, string feelings, string note, string audience = "The circle")
    {
        // Choosing first waits for the page to be interactive, so the typed words are not lost to a prerender.
        await MemberSide.ChooseAsync(person.Page.Locator(".checkin-form fieldset").Nth(0), capacity);
        await person.TypeAsync("#feelings", feelings);
        await person.CheckInAsync(capacity, note, audience);
    }
}

/// <summary>
/// "My patterns" over weeks of check-ins, written days ago (the app's clock set back) before any browser opens: read
/// by the member's own clock, their evenings are evenings wherever the server or the device is; and the chart's
/// labels all fit, on a phone and on a laptop.
/// </summary>
[Collection(ClockedAppFixture.Collection)]
public sealed class PatternsWithHistoryBrowserTests(ClockedAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_member_whose_time_zone_is_Auckland_sees_their_evening_check_ins_as_evenings_and_at_their_own_times()
    {
        var aroha = await app.CreateAccountAsync("Aroha");
        await app.Grain<IMemberSettingsGrain>(aroha.MemberId).SaveAsync(new MemberSettings(TimeZoneId: "Pacific/Auckland"));
        var (circleId, _) = await app.StartCircleAsync(aroha, "Evening circle", Seeded.LocalTime("Pacific/Auckland", 6, 18));
        // Evenings in Auckland: mornings in UTC, on the server and on the laptop in London she happens to use.
        foreach (var daysAgo in new[] { 5, 3, 2, 1 })
            await app.CheckInAsync(circleId, aroha, Seeded.LocalTime("Pacific/Auckland", daysAgo, 19, 30), Capacity.Steady, ["settled"], "Tea on the porch.");

        var page = (await SignInAsync(aroha, "Europe/London")).Page;
        await page.GotoAsync($"/circles/{circleId}/patterns");

        var myself = page.Locator("[data-testid=most-like-myself]");
        await Assertions.Expect(myself).ToContainTextAsync("and in the evenings.");
        await Assertions.Expect(myself).Not.ToContainTextAsync("morning");
        await Assertions.Expect(page.Locator("[data-testid=patterns-time-zone]"))
            .ToContainTextAsync("Days and times of day here are in Auckland time (Pacific/Auckland), the time zone in your settings.");

        // The circle's feed reads by the same clock: her check-ins show the time she wrote them.
        await page.GotoAsync($"/circles/{circleId}");
        var times = page.Locator("ol.feed > li.feed-item[data-type=check-in] time");
        await Assertions.Expect(times.First).ToContainTextAsync("19:30");
        Assert.All(await times.AllInnerTextsAsync(), time => Assert.EndsWith("19:30", time));
    }

    [Fact]
    public async Task Without_a_saved_time_zone_the_devices_is_used_and_named()
    {
        var sam = await app.CreateAccountAsync("Sam");
        var (circleId, _) = await app.StartCircleAsync(sam, "Morning circle", Seeded.LocalTime("America/Los_Angeles", 4, 7));
        foreach (var daysAgo in new[] { 3, 2 })
            await app.CheckInAsync(circleId, sam, Seeded.LocalTime("America/Los_Angeles", daysAgo, 8, 15), Capacity.Open, ["awake"], "Coffee and sun.");

        var page = (await SignInAsync(sam, "America/Los_Angeles")).Page;
        await page.GotoAsync($"/circles/{circleId}/patterns");

        // 08:15 in Los Angeles is afternoon in UTC.
        await Assertions.Expect(page.Locator("[data-testid=most-like-myself]")).ToContainTextAsync("and in the mornings.");
        await Assertions.Expect(page.Locator("[data-testid=patterns-time-zone]"))
            .ToContainTextAsync("Los Angeles time (America/Los_Angeles), the time zone of this device");
        await Assertions.Expect(page.Locator("[data-testid=patterns-time-zone]").GetByRole(AriaRole.Link, new() { Name = "Settings" }))
            .ToHaveAttributeAsync("href", "settings");
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 800)]
    public async Task Every_label_of_the_capacity_chart_is_fully_visible(int width, int height)
    {
        var lee = await app.CreateAccountAsync("Lee");
        var (circleId, _) = await app.StartCircleAsync(lee, "Chart circle", Seeded.LocalTime("Europe/London", 50, 9));
        // Every capacity, so the scale shows all five words, over seven weeks.
        for (var i = 0; i < 10; i++)
            await app.CheckInAsync(circleId, lee, Seeded.LocalTime("Europe/London", 48 - 5 * i, 10), Capacity.All[i % 5], [], null);

        var page = (await SignInAsync(lee, "Europe/London", new ViewportSize { Width = width, Height = height })).Page;
        await page.GotoAsync($"/circles/{circleId}/patterns");
        var chart = page.Locator(".capacity-chart svg").First;
        await Assertions.Expect(chart).ToBeVisibleAsync();
        foreach (var word in Capacity.All)
            await Assertions.Expect(chart.Locator("text", new() { HasTextRegex = new Regex($"^{word}$") })).ToHaveCountAsync(1);

        var box = (await chart.BoundingBoxAsync())!;
        var labels = await chart.Locator("text").AllAsync();
        Assert.True(labels.Count > Capacity.All.Count, "the scale and the days are labelled");
        var clipped = new List<string>();
        foreach (var label in labels)
        {
            var text = (await label.TextContentAsync())?.Trim();
            if (string.IsNullOrEmpty(text)) continue;
            var b = (await label.BoundingBoxAsync())!;
            // Half a pixel of slack for anti-aliased glyph edges.
            if (b.X < box.X - 0.5 || b.Y < box.Y - 0.5 || b.X + b.Width > box.X + box.Width + 0.5 || b.Y + b.Height > box.Y + box.Height + 0.5)
                clipped.Add($"\"{text}\" at x {b.X:0.#}..{b.X + b.Width:0.#}, y {b.Y:0.#}..{b.Y + b.Height:0.#}");
        }
        Assert.True(clipped.Count == 0,
            $"Labels outside the chart (x {box.X:0.#}..{box.X + box.Width:0.#}, y {box.Y:0.#}..{box.Y + box.Height:0.#}) at {width}x{height}:\n" + string.Join("\n", clipped));
    }

    private async Task<Person> SignInAsync(ClockedAppFixture.Account account, string timeZoneId, ViewportSize? viewport = null)
    {
        var person = await Seeded.SignInAsync(browsers.Browser, app.BaseAddress, account, viewport ?? Phone, timeZoneId);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
