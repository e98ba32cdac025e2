using System.Globalization;
using System.Resources;
using System.Xml.Linq;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Components.Circles;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// A member whose browser asks for Spanish lives a whole week in Spanish: checks in, passes a round, shares a win,
/// commits to a practice and logs a rest, reflects, brings something back, opens support, and reads what another
/// person shares live, with Spanish words and Spanish day names; My patterns and My circles too. lang="es",
/// axe-clean, and none of the member pages' English words on screen. The words expected are read from the resources.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class SpanishWeekBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private Person? _lucia;

    [Fact]
    public async Task A_spanish_speaking_member_does_a_whole_week_in_spanish()
    {
        _lucia = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, timeZoneId: "UTC", locale: "es-ES");
        var page = _lucia.Page;
        var scans = new Dictionary<string, IReadOnlyList<string>>();
        await _lucia.RegisterAsync("Lucia");
        var luciaId = await app.MemberIdAsync(_lucia);

        var noor = await app.RegisterAsync("noor");
        var created = await noor.CreateCircleAsync("Círculo del jueves", "Noor");
        var noorId = (await noor.CircleAsync(created.CircleId)).Members.Single().MemberId;
        var circle = app.Circle(created.CircleId);
        await circle.JoinAsync(luciaId, "Lucía", created.InviteCode!);
        await circle.StartRoundAsync(noorId, new StartRoundDraft(null, "¿Qué te trajo hoy?"));

        await page.GotoAsync($"/circles/{created.CircleId}");
        await _lucia.WaitForCirclePageAsync();
        await _lucia.WaitUntilLiveAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(page.Locator("#checkin-heading")).ToHaveTextAsync(Es("CirclePage", "CheckInHeading"));

        // Checks in: a level of energy in Spanish, shared with the circle.
        var checkIn = page.Locator(".checkin-form");
        await MemberSide.ChooseAsync(checkIn.Locator("fieldset").Nth(0), Words($"Capacity_{Capacity.Steady}"));
        await MemberSide.ChooseAsync(checkIn.Locator("fieldset.audience-choice"), Words("AudienceChoice_Circle"));
        await Assertions.Expect(page.Locator("#checkin-button")).ToHaveTextAsync(Words("Send_Circle"));
        await _lucia.TypeAsync("#note", "Llegué con calma");
        await page.ClickAsync("#checkin-button");
        await Assertions.Expect(checkIn.Locator(".confirmation")).ToHaveTextAsync(Es("CheckInForm", "Thanks"));
        await Assertions.Expect(_lucia.FeedCheckIn("Llegué con calma").Locator(".capacity")).ToHaveTextAsync(Words($"Capacity_{Capacity.Steady}"));

        // Passes the round: passing counts.
        await page.ClickAsync("#round-pass-button");
        await Assertions.Expect(page.Locator(".round-answered")).ToHaveTextAsync(Es("RoundBanner", "ThanksPassed"));

        // Shares a win, brings something back for the session, and reflects.
        await _lucia.ComposeAsync(Es("Composer", "KindWin"));
        await _lucia.TypeAsync("#win-text", "Salí a caminar");
        await MemberSide.ChooseAsync(page.Locator("[data-form=win] fieldset.audience-choice"), Words("AudienceChoice_Circle"));
        await page.ClickAsync("#win-button");
        await Assertions.Expect(page.Locator("[data-form=win] .confirmation")).ToHaveTextAsync(Es("Composer", "WinThanks"));

        await _lucia.ComposeAsync(Es("Composer", "KindBring"));
        await _lucia.TypeAsync("#bring-text", "Hablar del trabajo");
        await Assertions.Expect(page.Locator("#bring-button")).ToHaveTextAsync(Words("Send_Facilitators"));
        await page.ClickAsync("#bring-button");
        await Assertions.Expect(page.Locator("[data-form=bring] .confirmation")).ToHaveTextAsync(Es("Composer", "BringThanks"));

        await _lucia.ComposeAsync(Es("Composer", "KindReflect"));
        await _lucia.TypeAsync("#reflect-important", "Escuchar a los demás");
        await Assertions.Expect(page.Locator("#reflect-button")).ToHaveTextAsync(Words("Send_Private"));
        await page.ClickAsync("#reflect-button");
        await Assertions.Expect(page.Locator("[data-form=reflection] .confirmation")).ToHaveTextAsync(Es("ReflectForm", "Thanks"));

        // Commits to a small practice and logs a rest: resting counts.
        var make = page.Locator("details.make-commitment");
        await make.Locator("summary").ClickAsync();
        await _lucia.TypeAsync("#commit-practice", "Respirar tres veces");
        await _lucia.TypeAsync("#commit-cue", "Antes de dormir");
        await MemberSide.ChooseAsync(make.Locator("fieldset.audience-choice"), Words("AudienceChoice_Circle"));
        await page.ClickAsync("#commit-button");
        await Assertions.Expect(make.Locator(".confirmation")).ToHaveTextAsync(Es("Commitments", "Committed"));
        var mine = _lucia.Commitment("Respirar tres veces");
        await mine.Locator("details.log-practice summary").ClickAsync();
        await Assertions.Expect(mine.Locator("details.log-practice summary")).ToHaveTextAsync(Es("CommitmentItem", "LogPractice"));
        await MemberSide.ChooseAsync(mine.Locator("fieldset.choice-cards"), Words($"OutcomeLabel_{PracticeOutcomes.Rested}"));
        await mine.Locator(".log-practice-button").ClickAsync();
        await Assertions.Expect(mine.Locator(".confirmation")).ToHaveTextAsync(Es("CommitmentItem", "LoggedRest"));
        await Assertions.Expect(mine.Locator(".practice-log")).ToContainTextAsync(Words($"OutcomeMine_{PracticeOutcomes.Rested}"));

        // Noor's check-in and answer arrive live, on another thread: still Spanish words and Spanish day names.
        var noorCheckIn = await circle.CheckInAsync(noorId, new CheckInDraft(null, Capacity.Low, null, "Un día largo", "circle"));
        var arrived = _lucia.FeedCheckIn("Un día largo");
        await Assertions.Expect(arrived.Locator(".capacity")).ToHaveTextAsync(Words($"Capacity_{Capacity.Low}"));
        await Assertions.Expect(arrived.Locator(".audience")).ToContainTextAsync(Words("Audience_Circle"));
        var at = (await circle.ReadEventsAsync(luciaId, noorCheckIn.Seq - 1, 1)).Events.Single().At;
        await Assertions.Expect(arrived.Locator("time")).ToHaveTextAsync(at.ToUniversalTime().ToString("ddd HH:mm", Spanish));
        var mineInFeed = _lucia.FeedCheckIn("Llegué con calma");
        var luciaCheckIn = (await circle.ReadEventsAsync(luciaId, 0, 100)).Events.Single(e => e.Type == EventTypes.CheckIn && e.MemberId == luciaId);
        await circle.AcknowledgeAsync(noorId, new AcknowledgeDraft(null, luciaCheckIn.EventId, AcknowledgementKinds.WithYou));
        await Assertions.Expect(mineInFeed.Locator(".ack")).ToHaveTextAsync(Words("AckTo_with-you").Replace("{0}", "Noor"));
        await Assertions.Expect(arrived.Locator(".ack-button[data-kind=me-too]")).ToHaveTextAsync(Words("Ack_me-too"));

        // Opens support (the support panel's own words are the facilitator side's conversion).
        await page.ClickAsync("#support-button");
        await Assertions.Expect(page.Locator("#support-panel")).ToBeVisibleAsync();
        await NoEnglishAsync(page, "circle page");
        await AxeScan.ScanAsync(page, "circle page, Spanish", scans);

        await page.GotoAsync($"/circles/{created.CircleId}/patterns");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(Es("MyPatterns", "Heading"));
        await Assertions.Expect(page.Locator("[data-testid=most-like-myself] p")).ToContainTextAsync(Es("MyPatterns", $"Weekday_{DateTime.UtcNow.DayOfWeek}s"));
        await Assertions.Expect(page.Locator("[data-testid=patterns-time-zone]")).ToContainTextAsync(Es("MyPatterns", "ZoneUtc"));
        await NoEnglishAsync(page, "my patterns");
        await AxeScan.ScanAsync(page, "my patterns, Spanish", scans);

        await page.GotoAsync("/circles");
        await Assertions.Expect(page.Locator("ul.circle-list[data-settled=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(Es("MyCircles", "Heading"));
        await Assertions.Expect(page.Locator("ul.circle-list .role")).ToHaveTextAsync(Es("MyCircles", "RoleMember"));
        await NoEnglishAsync(page, "my circles");
        await AxeScan.ScanAsync(page, "my circles, Spanish", scans);

        AxeScan.AssertClean(scans);
    }

    private static string Es(string component, string key) => Read($"Components.Circles.{component}", key);

    private static string Words(string key) => Read("Components.Circles.EntryWords", key);

    private static string Read(string baseName, string key) =>
        new ResourceManager($"BetweenSessions.Groups.Web.Resources.{baseName}", typeof(EntryWords).Assembly).GetString(key, Spanish)
        ?? throw new InvalidOperationException($"No Spanish {baseName}.{key}");

    /// <summary>No English sentence of the member pages' resources is on screen (parts around placeholders, 12 characters or more).</summary>
    private static async Task NoEnglishAsync(IPage page, string where)
    {
        var resources = Path.Combine(RepoPaths.Root, "src", "BetweenSessions.Groups.Web", "Resources", "Components");
        static IEnumerable<string> Pieces(IEnumerable<string> files) =>
            files.SelectMany(f => XDocument.Load(f).Root!.Elements("data").Select(d => (string?)d.Element("value") ?? ""))
                .SelectMany(v => System.Text.RegularExpressions.Regex.Split(v, @"\{\d\}"))
                .Select(v => v.Trim())
                .Where(v => v.Length >= 12);
        var files = new[] { "Circles", "Patterns" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(resources, folder), "*.resx")).ToList();
        var spanish = Pieces(files.Where(f => f.EndsWith(".es.resx", StringComparison.Ordinal))).ToHashSet();
        var english = Pieces(files.Where(f => !f.EndsWith(".es.resx", StringComparison.Ordinal))).Where(e => !spanish.Contains(e)).Distinct().ToList();
        var text = await page.Locator("body").InnerTextAsync();
        var seen = english.Where(e => text.Contains(e, StringComparison.Ordinal)).ToList();
        Assert.True(seen.Count == 0, $"English on the {where}:\n  " + string.Join("\n  ", seen));
    }

    public async ValueTask DisposeAsync()
    {
        if (_lucia is not null) await _lucia.DisposeAsync();
    }
}
