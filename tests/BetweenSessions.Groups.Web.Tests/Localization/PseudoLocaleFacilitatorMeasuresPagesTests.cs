using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Browser;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The facilitator's measure pages show no word that is not from resources: the builder (with a safety item's answer
/// list open), the offered list, a member's shared trend with its table, the page of someone who shares nothing, and
/// on the dashboard the pulse, the measures link and a support request raised by a measure. Allowed outside the
/// markers: the seeded data (names, the circle's and the measure's names, the clinic's scale words and bands, and on the
/// dashboard the starting prompts, the invite code and link, a time zone id) and dates in &lt;time&gt;.
/// </summary>
[Collection(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleFacilitatorMeasuresPagesTests(PseudoLocaleAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 900 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Measure_pages_show_only_words_from_resources()
    {
        var alex = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Laptop, timeZoneId: "UTC");
        _people.Add(alex);
        await alex.RegisterAsync("Alex");
        var alexId = await app.MemberIdAsync(alex);
        var circleId = Guid.NewGuid();
        var circle = app.Circle(circleId);
        var details = await circle.CreateAsync(alexId, "Alex", "Quiet Circle");
        var ids = new Dictionary<string, string>();
        foreach (var name in new[] { "Robin", "Noor", "Sam" })
        {
            ids[name] = $"member-{name.ToLowerInvariant()}-{Guid.NewGuid():N}";
            await circle.JoinAsync(ids[name], name, details.InviteCode!);
        }

        string[] scale = ["Never", "Sometimes", "Often", "Always"];
        var draft = new MeasureDraft(null, "Steadiness check", null, 7,
            scale.Select((label, i) => new ScaleOptionDraft(i, label)).ToList(),
            [new("I felt steady"), new("I felt unsafe", SafetyThreshold: 3)],
            [new(0, 2, "quietband"), new(3, 6, "upperband")]);
        await circle.OfferMeasureAsync(alexId, new OfferMeasureDraft(null, draft, null));
        var measureId = Assert.Single((await circle.GetMeasuresAsync(alexId)).Measures).Measure.MeasureId;
        await circle.OptInMeasureAsync(ids["Robin"], new(null, measureId, true));
        foreach (var (skip, answers) in new (bool, int?[])[] { (false, [0, 1]), (true, []), (false, [1, null]), (false, [3, 3]) })
            await circle.AnswerMeasureAsync(ids["Robin"], new(Guid.NewGuid().ToString("N"), measureId, skip, skip ? null : answers));

        // A session that ended a while ago, and its pulse from three people (one question answered by two only).
        var start = DateTimeOffset.UtcNow.AddMinutes(-80);
        await circle.SetSessionScheduleAsync(alexId, new SetSessionScheduleDraft(null, "dates", "UTC", DurationMinutes: 60,
            Dates: [start.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)], ReflectWindowMinutes: 24 * 60));
        var session = (await circle.GetMeasuresAsync(ids["Robin"])).PulseOpenFor!;
        await circle.AnswerPulseAsync(ids["Robin"], new(null, session.Key, 4, 5, 3, null));
        await circle.AnswerPulseAsync(ids["Noor"], new(null, session.Key, 4, null, 3, null));
        await circle.AnswerPulseAsync(ids["Sam"], new(null, session.Key, 2, 2, 1, null));

        string[] data = ["Alex", "Robin", "Noor", "Sam", "Quiet Circle", "Steadiness check", "quietband", "upperband", .. scale,
            .. RoundPrompts.Defaults, $"{app.BaseAddress}circles?invite={details.InviteCode}", details.InviteCode!, "UTC"];
        var found = new Dictionary<string, IReadOnlyList<string>>();
        var page = alex.Page;

        await page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.alert-item")).ToHaveCountAsync(1);
        found["dashboard, the session"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "main", data);
        foreach (var part in new[] { "people", "patterns", "setup" })
        {
            await page.ClickAsync($"#tab-{part}");
            await Assertions.Expect(page.Locator($"#tab-{part}")).ToHaveAttributeAsync("aria-selected", "true");
            if (part == "patterns") await Assertions.Expect(page.GetByTestId("pulse-distribution").First).ToBeVisibleAsync();
            found[$"dashboard, {part}"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "main", data);
        }

        await page.ClickAsync("#measures-link");
        await Assertions.Expect(page.Locator("[data-testid=measures-page][data-ready=true]")).ToBeVisibleAsync();
        for (var i = 0; i < scale.Length; i++) await page.FillAsync($"#m-scale-{i}-label", scale[i]);
        await page.ClickAsync("#m-add-band");
        await page.CheckAsync("#m-item-0-safety");
        await Assertions.Expect(page.Locator("#m-item-0-threshold")).ToBeVisibleAsync();
        await page.Locator("li.offered-measure button.small-button").ClickAsync();
        await Assertions.Expect(page.Locator("li.offered-measure .confirm-removal")).ToBeVisibleAsync();
        found["measures page"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "body", data);

        await page.GotoAsync($"/circles/{circleId}/facilitate/people/{Uri.EscapeDataString(ids["Robin"])}");
        await Assertions.Expect(page.GetByTestId("member-measure")).ToBeVisibleAsync();
        await page.Locator("details.chart-table summary").ClickAsync();
        await Assertions.Expect(page.Locator("tr.answer-row")).ToHaveCountAsync(4);
        found["Robin's measures"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "body", data);

        await page.GotoAsync($"/circles/{circleId}/facilitate/people/{Uri.EscapeDataString(ids["Noor"])}");
        await Assertions.Expect(page.GetByTestId("nothing-shared")).ToBeVisibleAsync();
        found["Noor's page"] = await PseudoLocaleScan.UnmarkedUnderAsync(page, "body", data);

        var failing = found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value)).ToList();
        Assert.True(failing.Count == 0, "Words not from resources:\n" + string.Join("\n", failing));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
