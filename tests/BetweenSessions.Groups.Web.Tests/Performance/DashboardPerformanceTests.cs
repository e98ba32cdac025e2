using System.Diagnostics;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

using static BetweenSessions.Groups.Web.Tests.Performance.Figures;

namespace BetweenSessions.Groups.Web.Tests.Performance;

/// <summary>
/// Measures the facilitator dashboard for a circle of 12 with a month of history (docs/performance.md, "Facilitator
/// dashboard"): from navigation to fully rendered in the browser, and the server's data load. It reports figures and
/// asserts only what a facilitator would see, never a time. Run it alone:
/// dotnet test tests/BetweenSessions.Groups.Web.Tests -c Release --filter "FullyQualifiedName~DashboardPerformanceTests" --logger "console;verbosity=detailed"
/// </summary>
[Collection(GroupsAppCollection.Name)]
[Trait("Category", "Performance")]
public sealed class DashboardPerformanceTests(GroupsAppFixture app, BrowserFixture browsers, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const int Members = 12;
    private const int Days = 30;
    private const int WarmRuns = 5;
    private Person? _facilitator;

    // Set by the page itself the moment the dashboard is complete: every member's line and the group views.
    private const string ReadyProbe = """
        new MutationObserver(() => {
            if (window.__bsgReady) return;
            const ready = document.querySelector('[data-testid=dashboard][data-ready=true]');
            if (ready && document.querySelectorAll('[data-testid=people] li.member-fact').length >= 12
                && document.querySelector('[data-testid=group-views] .capacity-week svg')) {
                window.__bsgReady = performance.now();
                window.__bsgLoadMs = Number(ready.dataset.loadMs);
            }
        }).observe(document, { subtree: true, childList: true, attributes: true });
        """;

    [Fact]
    public async Task The_dashboard_of_a_circle_of_twelve_with_a_month_of_history_renders_completely()
    {
        _facilitator = await Person.OpenAsync(browsers.Browser, app.BaseAddress);
        await _facilitator.RegisterAsync("Alex");
        var facilitatorId = await app.MemberIdAsync(_facilitator);
        var seeded = Stopwatch.StartNew();
        var (circleId, events) = await SeedAsync(facilitatorId);
        output.WriteLine($"Seeded {Members} people and {events} entries over {Days} days in {seeded.ElapsedMilliseconds} ms.");
        await _facilitator.Page.Context.AddInitScriptAsync(ReadyProbe);

        var runs = new List<(double Browser, double Server, double Wall)>();
        for (var run = 0; run <= WarmRuns; run++)
        {
            var wall = Stopwatch.StartNew();
            await _facilitator.Page.GotoAsync($"/circles/{circleId}/facilitate");
            await _facilitator.Page.WaitForFunctionAsync("() => window.__bsgReady !== undefined");
            wall.Stop();
            var browser = await _facilitator.Page.EvaluateAsync<double>("() => window.__bsgReady");
            var server = await _facilitator.Page.EvaluateAsync<double>("() => window.__bsgLoadMs");
            runs.Add((browser, server, wall.Elapsed.TotalMilliseconds));
            output.WriteLine($"{(run == 0 ? "cold" : $"warm {run}")}: rendered {browser:F0} ms after navigation start " +
                             $"(test's wall clock {wall.Elapsed.TotalMilliseconds:F0} ms), server data load {server:F0} ms");
        }

        var warm = runs.Skip(1).ToList();
        output.WriteLine($"Warm median: rendered {Median(warm.Select(r => r.Browser)):F0} ms, server data load {Median(warm.Select(r => r.Server)):F0} ms; " +
                         $"slowest warm: {warm.Max(r => r.Browser):F0} ms; cold: {runs[0].Browser:F0} ms / {runs[0].Server:F0} ms.");
        output.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");

        // How long the page is, on a laptop and on a phone (docs/performance.md, "Facilitator dashboard").
        var page = _facilitator.Page;
        var laptop = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.SetViewportSizeAsync(390, 844);
        var phone = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.SetViewportSizeAsync(1280, 800);
        output.WriteLine($"Page height: {laptop} px at 1280 px wide, {phone} px at 390 px wide.");

        // What the facilitator sees: all twelve, in alphabetical order, and the week's picture.
        var order = await _facilitator.MemberOrderAsync();
        Assert.Equal(Members, order.Count);
        Assert.Equal(order.Order(StringComparer.CurrentCultureIgnoreCase), order);
        await _facilitator.DashboardPartAsync("Patterns");
        await Assertions.Expect(_facilitator.Page.GetByTestId("group-views").Locator("ul.weekday-spread li[data-shown=true]").First).ToBeVisibleAsync();
        await Assertions.Expect(_facilitator.Page.GetByTestId("group-views").Locator(".capacity-week svg").First).ToBeVisibleAsync();
    }

    /// <summary>
    /// A busy month of a circle, written through the store as the grain would have (before any grain of it is
    /// active): most people check in most days with a word or two (some twice), answer each other a few times a day,
    /// some share wins or bring things to the session, and the weekly session has a round; an occasional support request.
    /// </summary>
    private async Task<(Guid CircleId, int Events)> SeedAsync(string facilitatorId)
    {
        var store = app.Services.GetRequiredService<ICircleStore>();
        var random = new Random(12);
        var now = DateTimeOffset.UtcNow;
        var start = now.AddDays(-Days);
        string[] names = ["Ada", "Bo", "Cy", "Dee", "Eli", "Fen", "Gil", "Hana", "Ivo", "Jo", "Kit"];
        var people = names.Select((n, i) => new CircleMember($"perf-{i}-{Guid.NewGuid():N}", n, CircleRole.Member, start))
            .Prepend(new CircleMember(facilitatorId, "Alex", CircleRole.Facilitator, start)).ToList();
        string[] words = ["tired", "hopeful", "calm", "stretched", "grateful", "anxious", "steady", "flat", "light", "heavy"];
        string[] audiences = ["circle", "circle", "circle", "facilitators", "private"];

        var entries = new List<(DateTimeOffset At, CircleMember Author, string Type, Visibility Visibility, object Payload)>();
        foreach (var person in people.Skip(1))
            entries.Add((start.AddMinutes(1), person, EventTypes.MemberJoined, Visibility.Circle, new { }));
        for (var day = 0; day < Days; day++)
        {
            var date = start.AddDays(day);
            foreach (var person in people)
            {
                var at = date.AddHours(7 + random.Next(14)).AddMinutes(random.Next(60));
                if (random.NextDouble() < 0.75)
                {
                    entries.Add((at, person, EventTypes.CheckIn, Parse(audiences[random.Next(audiences.Length)]), new
                    {
                        capacity = Capacity.All[random.Next(Capacity.All.Count)],
                        feelings = Enumerable.Range(0, random.Next(3)).Select(_ => words[random.Next(words.Length)]).Distinct().ToList(),
                        note = random.NextDouble() < 0.4 ? "A few words about the day." : null,
                    }));
                }
                if (random.NextDouble() < 0.3)
                {
                    entries.Add((at.AddHours(3), person, EventTypes.CheckIn, Visibility.Circle,
                        new { capacity = Capacity.All[random.Next(Capacity.All.Count)], feelings = new[] { words[random.Next(words.Length)] }, note = (string?)null }));
                }
                // Answers to others: presence in words, a few a day.
                for (var a = random.Next(3); a > 0; a--)
                {
                    entries.Add((at.AddMinutes(30 + a), person, EventTypes.Acknowledged, Visibility.Circle,
                        new { targetEventId = Guid.NewGuid(), targetType = EventTypes.CheckIn, kind = AcknowledgementKinds.All[random.Next(4)] }));
                }
                if (random.NextDouble() < 0.15) entries.Add((at.AddMinutes(5), person, EventTypes.WinShared, Visibility.Circle, new { text = "A small win." }));
                if (random.NextDouble() < 0.05)
                    entries.Add((at.AddMinutes(7), person, EventTypes.BroughtToSession, Parse(audiences[random.Next(4)]), new { text = "Something for the session." }));
                if (random.NextDouble() < 0.01) entries.Add((at.AddMinutes(9), person, EventTypes.SupportRequested, Visibility.Facilitators, new { note = (string?)null }));
            }
            if (day % 7 == 6)
            {
                var session = date.AddHours(19);
                var roundId = Guid.NewGuid();
                entries.Add((session, people[0], EventTypes.RoundStarted, Visibility.Circle, new { roundId, prompt = RoundPrompts.Defaults[0] }));
                foreach (var person in people.Skip(1).Where(_ => random.NextDouble() < 0.8))
                {
                    var pass = random.NextDouble() < 0.2;
                    entries.Add((session.AddMinutes(2), person, EventTypes.RoundAnswered, Visibility.Circle,
                        new { roundId, capacity = pass ? null : Capacity.Steady, text = pass ? null : "Here.", pass }));
                }
                entries.Add((session.AddMinutes(20), people[0], EventTypes.RoundEnded, Visibility.Circle, new { roundId, prompt = RoundPrompts.Defaults[0] }));
            }
        }

        var circleId = Guid.NewGuid();
        var ordered = entries.OrderBy(e => e.At).ToList();
        var created = new CircleEvent(circleId, 1, Guid.NewGuid(), EventTypes.CircleCreated, start, facilitatorId, "Alex", Visibility.Circle, null,
            EventPayload.Serialize(new { name = "A month together" }));
        var log = ordered.Select((e, i) => new CircleEvent(circleId, i + 2, Guid.NewGuid(), e.Type, e.At, e.Author.MemberId, e.Author.DisplayName,
            e.Visibility, null, EventPayload.Serialize(e.Payload))).Prepend(created).ToList();
        long version = 0;
        foreach (var batch in log.Chunk(200))
        {
            version = await store.CommitAsync(new CircleCommit(circleId, version, "A month together", InviteCode.New(), start, batch[^1].Seq,
                version == 0 ? people : [], batch));
        }
        return (circleId, log.Count);
    }

    private static Visibility Parse(string audience) => VisibilityNames.TryParse(audience, out var v) ? v : Visibility.Circle;

    public async ValueTask DisposeAsync()
    {
        if (_facilitator is not null) await _facilitator.DisposeAsync();
    }
}
