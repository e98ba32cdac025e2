using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Writes the screenshots in docs/screenshots (see its README) from a circle with seven weeks of history: a member's
/// screens on a phone (390x844) and the facilitator's circle page on a laptop (1280x800). Skipped unless
/// BSG_SCREENSHOTS=1, so ordinary runs never rewrite the committed pictures. Each screen is checked for what it
/// should show before it is taken, so a broken page fails here instead of ending up in the docs.
/// </summary>
[Collection(ClockedAppFixture.Collection)]
public sealed class ScreenshotsBrowserTests(ClockedAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };
    private const string RobinsZone = "Europe/London";
    private readonly List<Person> _people = [];

    public static string Folder => Path.Combine(RepoPaths.Root, "docs", "screenshots");

    [Fact]
    public async Task The_main_screens()
    {
        Assert.SkipUnless(RepoPaths.Required("BSG_SCREENSHOTS"), "Set BSG_SCREENSHOTS=1 to write docs/screenshots/*.png.");
        Directory.CreateDirectory(Folder);
        var circle = await SeedAsync();

        var robin = await SignInAsync(circle.Robin, Phone);
        var page = robin.Page;

        // My circles.
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(circle.Name);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Gentle mornings");
        await ShootAsync(page, "circles-list");

        // The check-in composer, partly filled in, as someone is about to check in.
        await page.GotoAsync($"/circles/{circle.Id}");
        await robin.WaitForCirclePageAsync();
        var composer = page.Locator("section", new() { Has = page.Locator("#checkin-heading") });
        await MemberSide.ChooseAsync(composer, "Some capacity");
        await robin.TypeAsync("#feelings", "tired, hopeful");
        await robin.TypeAsync("#note", "Long week. Glad it is Thursday.");
        await ScrollToTopAsync(page, "#checkin-heading");
        await ShootAsync(page, "check-in-composer");

        // The facilitator's circle page on a laptop: entries for the circle and for facilitators only, with answers.
        var maya = await SignInAsync(circle.Maya, Laptop);
        await maya.Page.GotoAsync($"/circles/{circle.Id}");
        await maya.WaitForCirclePageAsync();
        await Assertions.Expect(maya.FeedItemOfType(EventTypes.CheckIn, "Hard conversation with my landlord")).ToBeVisibleAsync();
        await Assertions.Expect(maya.FeedItemOfType(EventTypes.WinShared, "bakery").Locator(".acks")).ToBeVisibleAsync();
        await ScrollToTopAsync(maya.Page, "#feed-heading", gap: 24);
        await ShootAsync(maya.Page, "circle-page-facilitator");

        // The facilitator's dashboard: alerts, the opening agenda, people in a stable order, the week's capacity.
        await maya.OpenDashboardAsync();
        await maya.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ShootAsync(maya.Page, "facilitator-dashboard", fullPage: true);

        // A live round, as the facilitator opens it.
        await app.Circle(circle.Id).StartRoundAsync(circle.Maya.MemberId, new StartRoundDraft(NewId(), "One word for how you are arriving tonight?"));
        var banner = page.Locator(".round-banner");
        await Assertions.Expect(banner).ToContainTextAsync("One word for how you are arriving tonight?");
        var roundId = (await app.Circle(circle.Id).GetDetailsAsync(circle.Maya.MemberId)).OpenRound!.RoundId;
        await app.Circle(circle.Id).RespondToRoundAsync(circle.Noor.MemberId, new RespondToRoundDraft(NewId(), roundId, Capacity.Some, "Curious", false));
        await app.Circle(circle.Id).RespondToRoundAsync(circle.Jo.MemberId, new RespondToRoundDraft(NewId(), roundId, null, null, true));
        await Assertions.Expect(robin.FeedItemOfType(EventTypes.RoundAnswered, "Curious")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ShootAsync(page, "live-round");

        // Support, one step away: the resources show at once.
        var panel = page.Locator("#support-panel");
        await Person.RetryUntilAsync(
            async () => { if (!await panel.IsVisibleAsync()) await page.ClickAsync("#support-button"); },
            () => panel.IsVisibleAsync(), "the support resources");
        await panel.Locator("#support-tell-button").ClickAsync();
        await Assertions.Expect(panel.Locator(".support-told")).ToContainTextAsync("They were told at");
        await ScrollToTopAsync(page, "#support-panel");
        await ShootAsync(page, "support-resources");

        // My patterns, seven weeks of Robin's own check-ins in her own time zone.
        await page.GotoAsync($"/circles/{circle.Id}/patterns");
        await Assertions.Expect(page.Locator(".capacity-chart svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=patterns-time-zone]")).ToContainTextAsync("London time");
        await Assertions.Expect(page.Locator("ul.feeling-words")).ToContainTextAsync("calm");
        await ScrollToTopAsync(page, "[data-testid=patterns-time-zone]");
        await ShootAsync(page, "my-patterns");

        // Settings, as Robin saved them.
        await page.GotoAsync("/settings");
        await Assertions.Expect(page.Locator("#save-settings")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "A lighter week: fewer prompts for now" })).ToBeCheckedAsync();
        await ShootAsync(page, "settings");
    }

    private sealed record SeededCircle(
        Guid Id, string Name, ClockedAppFixture.Account Robin, ClockedAppFixture.Account Maya,
        ClockedAppFixture.Account Noor, ClockedAppFixture.Account Jo);

    /// <summary>
    /// A Thursday evening circle, seven weeks old: Robin's check-ins over the weeks (for her patterns), and the last
    /// two days of the circle: check-ins for everyone and for facilitators, a win with answers, something for the
    /// session, a shared practice.
    /// </summary>
    private async Task<SeededCircle> SeedAsync()
    {
        var robin = await app.CreateAccountAsync("Robin");
        var maya = await app.CreateAccountAsync("Maya");
        var noor = await app.CreateAccountAsync("Noor");
        var sam = await app.CreateAccountAsync("Sam");
        var jo = await app.CreateAccountAsync("Jo");
        var amara = await app.CreateAccountAsync("Amara");
        await app.Grain<IMemberSettingsGrain>(robin.MemberId)
            .SaveAsync(new MemberSettings(LighterWeek: true, QuietFrom: "22:00", QuietTo: "07:30", TimeZoneId: RobinsZone));

        const string name = "Thursday evening circle";
        var (id, code) = await app.StartCircleAsync(maya, name, At(52, 18));
        foreach (var (member, day) in new[] { (robin, 51), (noor, 51), (sam, 50), (jo, 44) })
            await app.JoinAsync(id, code, member, At(day, 19));
        var (mornings, morningsCode) = await app.StartCircleAsync(amara, "Gentle mornings", At(30, 8));
        await app.JoinAsync(mornings, morningsCode, robin, At(29, 8));

        // Robin, over seven weeks: most often steady on weekend mornings, sometimes low midweek; resting is an answer too.
        string[][] feelings = [["calm"], ["tired", "hopeful"], ["settled"], ["tender"], ["grateful", "calm"], ["restless"], ["hopeful", "calm"]];
        string?[] notes =
        [
            "A slow walk by the river.", null, "Slept badly, going easy on myself.", "Called my sister.", null,
            "Quiet day at home.", "Made soup and read in the garden.",
        ];
        var history = new (int DaysAgo, int Hour, string Capacity)[]
        {
            (48, 9, Capacity.Steady), (46, 20, Capacity.Low), (44, 13, Capacity.Some), (41, 10, Capacity.Open),
            (39, 21, Capacity.Resting), (37, 18, Capacity.Some), (34, 9, Capacity.Steady), (31, 19, Capacity.Low),
            (27, 10, Capacity.Steady), (25, 14, Capacity.Some), (22, 20, Capacity.Resting), (20, 9, Capacity.Open),
            (17, 19, Capacity.Some), (13, 10, Capacity.Steady), (11, 21, Capacity.Low), (8, 9, Capacity.Steady),
            (6, 13, Capacity.Some), (4, 20, Capacity.Some),
        };
        for (var i = 0; i < history.Length; i++)
        {
            var (daysAgo, hour, capacity) = history[i];
            var audience = i % 5 == 3 ? Visibility.Private : i % 4 == 1 ? Visibility.Facilitators : Visibility.Circle;
            await app.CheckInAsync(id, robin, At(daysAgo, hour), capacity, feelings[i % feelings.Length], notes[i % notes.Length], audience);
        }

        // The last two days.
        var circle = app.Circle(id);
        await app.CheckInAsync(id, noor, At(2, 19, 10), Capacity.Some, ["scattered", "hopeful"], "First week back at work. Taking it one day at a time.");
        var practice = await WriteAtAsync(At(2, 19, 40), () => circle.MakeCommitmentAsync(noor.MemberId,
            new MakeCommitmentDraft(NewId(), "Five slow breaths before opening email", "When I sit down at my desk", "One minute", Visibility.Circle.ToWire())));
        var commitmentId = await PayloadGuidAsync(id, noor, practice, "commitmentId");
        await WriteAtAsync(At(2, 20), () => circle.JoinCommitmentAsync(robin.MemberId, new JoinCommitmentDraft(NewId(), commitmentId)));
        await app.CheckInAsync(id, robin, At(1, 8, 30), Capacity.Low, ["tired"],
            "Hard conversation with my landlord. Would like to talk about it on Thursday.", Visibility.Facilitators);
        await WriteAtAsync(At(1, 9), () => circle.BringToSessionAsync(jo.MemberId,
            new BringToSessionDraft(NewId(), "How to say no to extra shifts without feeling guilty.", Visibility.Facilitators.ToWire())));
        await WriteAtAsync(At(1, 12, 30), () => circle.LogPracticeAsync(robin.MemberId,
            new LogPracticeDraft(NewId(), commitmentId, PracticeOutcomes.Rested, "Took a quiet lunch outside instead.")));
        var win = await WriteAtAsync(At(1, 17, 45), () => circle.ShareWinAsync(sam.MemberId,
            new ShareWinDraft(NewId(), "Went to the bakery on my own and said hello to the owner.", Visibility.Circle.ToWire())));
        await WriteAtAsync(At(1, 18), () => circle.AcknowledgeAsync(maya.MemberId, new AcknowledgeDraft(NewId(), win.EventId, AcknowledgementKinds.GladYouShared)));
        await WriteAtAsync(At(1, 18, 20), () => circle.AcknowledgeAsync(noor.MemberId, new AcknowledgeDraft(NewId(), win.EventId, AcknowledgementKinds.WithYou)));
        // A few hours ago: always after yesterday evening, whenever this runs.
        var now = DateTimeOffset.UtcNow;
        await app.CheckInAsync(id, jo, now.AddHours(-3), Capacity.Resting, ["heavy"], "Just for me today.", Visibility.Private);
        var steady = await app.CheckInAsync(id, robin, now.AddHours(-2.5), Capacity.Steady, ["calm", "grateful"], "A good walk today, and a long call with an old friend.");
        await WriteAtAsync(now.AddHours(-2.2), () => circle.AcknowledgeAsync(sam.MemberId, new AcknowledgeDraft(NewId(), steady.EventId, AcknowledgementKinds.MeToo)));
        return new SeededCircle(id, name, robin, maya, noor, jo);
    }

    /// <summary>A time of day in Robin's zone, at least a day ago.</summary>
    private static DateTimeOffset At(int daysAgo, int hour, int minute = 0) => Seeded.LocalTime(RobinsZone, daysAgo, hour, minute);

    private async Task<EventReceipt> WriteAtAsync(DateTimeOffset at, Func<Task<EventReceipt>> write)
    {
        using (app.Clock.At(at)) return await write();
    }

    private async Task<Guid> PayloadGuidAsync(Guid circleId, ClockedAppFixture.Account viewer, EventReceipt receipt, string field)
    {
        var page = await app.Circle(circleId).ReadEventsAsync(viewer.MemberId, receipt.Seq - 1, 1);
        using var payload = JsonDocument.Parse(page.Events.Single().PayloadJson);
        return payload.RootElement.GetProperty(field).GetGuid();
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Scrolls so the element sits just below the top: by default below the sticky support bar of phones.</summary>
    private static Task ScrollToTopAsync(IPage page, string selector, int gap = 88) =>
        page.Locator(selector).First.EvaluateAsync("(e, gap) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - gap)", gap);

    private static async Task ShootAsync(IPage page, string name, bool fullPage = false)
    {
        // No focus ring from the last click or from the page focusing its heading on navigation: a picture at rest.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Folder, name + ".png"),
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
            FullPage = fullPage,
        });
    }

    private async Task<Person> SignInAsync(ClockedAppFixture.Account account, ViewportSize viewport)
    {
        var person = await Seeded.SignInAsync(browsers.Browser, app.BaseAddress, account, viewport, RobinsZone);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
