using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Components.Circles;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static BetweenSessions.Groups.Web.Tests.Localization.PseudoLocaleScan;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The member's pages show no word that is not from resources: My circles, a circle page with every form open and every
/// kind of feed item a member sees, and My patterns, rendered in the pseudo-locale host. What people wrote, their
/// names, the circle's name and invite code are data and are left out exactly; so are dates and times (in
/// &lt;time&gt; and the chart's day labels), which the person's culture formats. The support button is the
/// facilitator side's conversion and is left out too.
/// </summary>
[Collection(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleMemberPagesTests(PseudoLocaleAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private Person? _person;

    [Fact]
    public async Task Member_pages_show_only_words_from_resources()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, timeZoneId: "UTC");
        var page = _person.Page;
        var found = new Dictionary<string, IReadOnlyList<string>>();

        await _person.RegisterAsync("Kim");
        var kimId = await app.MemberIdAsync(_person);
        await page.GotoAsync("/circles");
        await Assertions.Expect(page.Locator("#join-button")).ToBeVisibleAsync();
        found["my circles, none yet"] = await UnmarkedAsync(page, "Kim", _person.Email!);

        // Noor runs the circle; everything a member can meet in the feed is written through the grains.
        var noor = await app.RegisterAsync("noor");
        var created = await noor.CreateCircleAsync("Pebble circle", "Noor");
        var noorId = (await noor.CircleAsync(created.CircleId)).Members.Single().MemberId;
        var circle = app.Circle(created.CircleId);
        await circle.JoinAsync(kimId, "Kim", created.InviteCode!);
        string[] written =
        [
            "Pebble circle", created.InviteCode!, "Kim", "Noor", _person.Email!, "quietpebble", "Slow tea mornings", "Stretching",
            "After breakfast", "Tiny", "Walking", "After lunch", "Breathe first", "Sorted my desk", "Window light", "Sea sounds",
            "Fresh air", "Gentle start", "Listening quietly", "Wordless", "Everyday",
        ];
        var noorCheckIn = await circle.CheckInAsync(noorId, new CheckInDraft(null, Capacity.Low, ["quietpebble"], "Slow tea mornings", "circle"));
        await circle.ShareWinAsync(noorId, new ShareWinDraft(null, "Sorted my desk", "circle"));
        await circle.MakeCommitmentAsync(noorId, new MakeCommitmentDraft(null, "Stretching", "After breakfast", "Tiny", "circle", "08:00"));
        await circle.MakeCommitmentAsync(kimId, new MakeCommitmentDraft(null, "Walking", "After lunch", null, "circle", "13:00", true));
        var commitments = await circle.ReadCommitmentEventsAsync(noorId);
        var stretching = commitments.First(e => e.Type == EventTypes.CommitmentMade && e.Text("practice") == "Stretching").Id("commitmentId");
        await circle.LogPracticeAsync(noorId, new LogPracticeDraft(null, stretching, PracticeOutcomes.Rested, "Breathe first"));
        var kimCheckIn = await circle.CheckInAsync(kimId, new CheckInDraft(null, Capacity.Steady, ["quietpebble"], "Window light", "circle"));
        await circle.AcknowledgeAsync(noorId, new AcknowledgeDraft(null, kimCheckIn.EventId, AcknowledgementKinds.WithYou));
        await circle.AcknowledgeAsync(kimId, new AcknowledgeDraft(null, noorCheckIn.EventId, AcknowledgementKinds.MeToo));
        await circle.BringToSessionAsync(kimId, new BringToSessionDraft(null, "Sea sounds", "facilitators"));
        await circle.ReflectAsync(kimId, new ReflectDraft(null, "Fresh air", "Gentle start", "Everyday", "private"));
        await circle.StartRoundAsync(noorId, new StartRoundDraft(null, "Listening quietly"));
        var round = (await circle.GetDetailsAsync(kimId)).OpenRound!;
        await circle.RespondToRoundAsync(noorId, new RespondToRoundDraft(null, round.RoundId, null, null, true));
        await circle.RequestSupportAsync(kimId, new RequestSupportDraft(null, "Wordless"));

        await page.GotoAsync("/circles");
        await Assertions.Expect(page.Locator("ul.circle-list[data-settled=true]")).ToBeVisibleAsync();
        found["my circles"] = await UnmarkedAsync(page, written);

        await page.GotoAsync($"/circles/{created.CircleId}");
        await _person.WaitForCirclePageAsync();
        await _person.WaitUntilLiveAsync();
        await Assertions.Expect(page.Locator("li.feed-item[data-type=support-requested]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.commitment")).ToHaveCountAsync(2);
        found["circle page"] = await UnmarkedAsync(page, written);

        // Every composer, the commitment form, a practice log and leaving, each open in turn.
        foreach (var kind in new[] { "win", "bring", "reflect", "check-in" })
        {
            await page.Locator($"fieldset.segments input[value={kind}]").CheckAsync();
            await Assertions.Expect(page.Locator($".compose-pane[data-kind={kind}]")).ToBeVisibleAsync();
            found[$"composer, {kind}"] = await UnmarkedAsync(page, written);
        }
        await page.Locator("details.make-commitment summary").ClickAsync();
        await page.Locator("li.commitment details.log-practice summary").ClickAsync();
        await Assertions.Expect(page.Locator("#commit-practice")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".log-practice-form")).ToBeVisibleAsync();
        found["commitment forms"] = await UnmarkedAsync(page, written);
        await page.ClickAsync("#leave-button");
        await Assertions.Expect(page.Locator("#leave-confirm")).ToBeVisibleAsync();
        found["leaving"] = await UnmarkedAsync(page, written);
        await page.ClickAsync("#leave-cancel");

        // A check-in sent without an audience is asked for one, in resources too.
        await page.Locator("fieldset.segments input[value=check-in]").CheckAsync();
        await page.ClickAsync("#checkin-button");
        await Assertions.Expect(page.Locator(".checkin-form .form-error")).ToBeVisibleAsync();
        found["check-in without an audience"] = await UnmarkedAsync(page, written);

        await page.GotoAsync($"/circles/{created.CircleId}/patterns");
        await Assertions.Expect(page.Locator("[data-testid=most-like-myself] p")).ToBeVisibleAsync();
        await page.Locator("details.chart-table summary").ClickAsync();
        found["my patterns"] = await UnmarkedAsync(page, written);

        var failing = found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value)).ToList();
        Assert.True(failing.Count == 0, "Words not from resources:\n" + string.Join("\n", failing));
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}
