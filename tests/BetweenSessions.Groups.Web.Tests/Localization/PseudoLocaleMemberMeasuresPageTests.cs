using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static BetweenSessions.Groups.Web.Tests.Localization.PseudoLocaleScan;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The measures page shows no word that is not from resources: a measure not chosen yet, the answer form with its
/// safety notice, the reading after answers with an item left, the chart and its list, the crisis resources after a
/// safety answer, the session pulse and past pulses, and the pulse on the circle page. The clinic's words (name,
/// instructions, items, scale, bands) are data, as are the circle's and people's names.
/// </summary>
[Collection(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleMemberMeasuresPageTests(PseudoLocaleAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 375, Height = 740 };
    private Person? _person;

    [Fact]
    public async Task The_measures_page_shows_only_words_from_resources()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, timeZoneId: "UTC");
        var page = _person.Page;
        await _person.RegisterAsync("Kim");
        var kimId = await app.MemberIdAsync(_person);
        var noor = await app.RegisterAsync("noor");
        var created = await noor.CreateCircleAsync("Pebble circle", "Noor");
        var noorId = (await noor.CircleAsync(created.CircleId)).Members.Single().MemberId;
        var circle = app.Circle(created.CircleId);
        await circle.JoinAsync(kimId, "Kim", created.InviteCode!);
        await circle.OfferMeasureAsync(noorId, new OfferMeasureDraft(null, MeasureSteps.Draft, 14));
        await MeasureSteps.SessionEndedMinutesAgoAsync(circle, noorId);
        string[] written =
        [
            "Pebble circle", created.InviteCode!, "Kim", "Noor", _person.Email!, MeasureSteps.Name, MeasureSteps.Instructions,
            .. MeasureSteps.ScaleLabels, .. MeasureSteps.Items, .. MeasureSteps.Bands, "lighter",
        ];
        var found = new Dictionary<string, IReadOnlyList<string>>();

        await page.GotoAsync($"/circles/{created.CircleId}");
        await _person.WaitForCirclePageAsync();
        await Assertions.Expect(page.GetByTestId("pulse")).ToBeVisibleAsync();
        found["circle page with the pulse"] = await UnmarkedAsync(page, written);

        await page.GotoAsync($"/circles/{created.CircleId}/measures");
        var card = page.GetByTestId("measure");
        await Assertions.Expect(card.Locator(".measure-opt-in")).ToBeVisibleAsync();
        await card.Locator(".measure-opt-in").ClickAsync();
        await Assertions.Expect(card.Locator(".form-error")).ToBeVisibleAsync();
        found["measures page, not chosen"] = await UnmarkedAsync(page, written);

        await card.Locator("input[value=facilitators]").CheckAsync();
        await card.Locator(".measure-opt-in").ClickAsync();
        await Assertions.Expect(card.GetByTestId("measure-form")).ToBeVisibleAsync();
        found["measures page, answer form"] = await UnmarkedAsync(page, written);

        var items = card.Locator("fieldset.measure-item");
        await items.Nth(0).Locator("input[value='1']").CheckAsync();
        await items.Nth(2).Locator("input[value='0']").CheckAsync();
        await card.Locator(".measure-send").ClickAsync();
        await Assertions.Expect(card.GetByTestId("measure-result")).ToBeVisibleAsync();
        await card.Locator(".measure-answer-now").ClickAsync();
        await items.Nth(0).Locator("input[value='1']").CheckAsync();
        await items.Nth(1).Locator("input[value='1']").CheckAsync();
        await items.Nth(2).Locator("input[value='2']").CheckAsync();
        await card.Locator(".measure-send").ClickAsync();
        await Assertions.Expect(card.GetByTestId("measure-support")).ToBeVisibleAsync();
        await card.Locator("details.chart-table summary").ClickAsync();
        await card.Locator("details.measure-choice summary").ClickAsync();
        found["measures page, after a safety answer, chart and choices open"] = await UnmarkedAsync(page, written);

        var pulse = page.GetByTestId("pulse");
        await pulse.Locator("fieldset[data-question=Heard] input[value='4']").CheckAsync();
        await page.FillAsync("#pulse-word", "lighter");
        await page.DispatchEventAsync("#pulse-word", "change");
        await pulse.Locator("#pulse-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("past-pulses")).ToBeVisibleAsync();
        found["measures page, past pulses"] = await UnmarkedAsync(page, written);

        var failing = found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value)).ToList();
        Assert.True(failing.Count == 0, "Words not from resources:\n" + string.Join("\n", failing));
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}
