using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>The member's side of a circle page, from a phone: support, rounds, presence answers, commitments, audience.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class MemberSideBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Support_is_one_step_telling_the_facilitators_is_the_second_and_a_later_note_joins_the_same_request()
    {
        var (facilitator, members) = await CircleAsync("Monday circle", "Robin", "Sam");
        var (robin, sam) = (members[0], members[1]);
        await facilitator.MarkPageAsync();
        var requests = facilitator.Page.Locator("[data-testid=support-requests]");

        // One press: the resources, at once. Nobody has been told yet: a press by mistake tells no one.
        await robin.Page.ClickAsync("#support-button");
        var panel = robin.Page.Locator("#support-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator("a[href='tel:112']")).ToBeVisibleAsync();
        await Assertions.Expect(panel).ToContainTextAsync("Find a helpline");
        await Assertions.Expect(panel.Locator("a[href='https://findahelpline.com']")).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator("#support-tell-button")).ToHaveTextAsync("Tell my facilitators");

        // The second action, by keyboard, with a note.
        await robin.TypeAsync("#support-note", "Hard evening");
        await MemberSide.PressAsync(panel.Locator("#support-tell-button"));
        await Assertions.Expect(panel.Locator(".support-told")).ToContainTextAsync("Waiting for a facilitator to see it.");
        await Assertions.Expect(panel.Locator(".support-told")).ToBeFocusedAsync(); // what happened is read out first
        await Assertions.Expect(facilitator.FeedItemOfType("support-requested", "Hard evening")).ToBeVisibleAsync();
        await Assertions.Expect(requests).ToContainTextAsync("Robin");

        // A note afterwards joins the same request: still one request, now with the note under it.
        await robin.TypeAsync("#support-note", "Mostly the evenings");
        await MemberSide.PressAsync(panel.Locator("#support-note-button"));
        await Assertions.Expect(panel).ToContainTextAsync("Your note joined your request.");
        await Assertions.Expect(requests.Locator(".support-note")).ToContainTextAsync("Mostly the evenings");
        await Assertions.Expect(requests.Locator(":scope > ul > li")).ToHaveCountAsync(1);
        Assert.True(await facilitator.IsSamePageAsync(), "The facilitator's page was reloaded.");

        // Seen by Alex: Robin's own view says so, in the panel and under the button once it is closed.
        var circleId = Guid.Parse(new Uri(robin.Page.Url).Segments[^1]);
        var request = (await app.Circle(circleId).ReadEventsAsync(await app.MemberIdAsync(robin), 0, 100)).Events
            .Single(e => e.Type == EventTypes.SupportRequested);
        await app.Circle(circleId).AcknowledgeAlertAsync(await app.MemberIdAsync(facilitator), new(Guid.NewGuid().ToString("N"), request.EventId));
        await Assertions.Expect(panel.Locator(".support-told")).ToContainTextAsync("Alex has seen this.");
        await Assertions.Expect(requests).ToHaveCountAsync(0);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Close this" }).ClickAsync();
        await Assertions.Expect(robin.Page.GetByTestId("support-status")).ToContainTextAsync("Alex has seen this.");

        // Events arrive in order: once Sam sees Robin's later check-in, any of the support entries would have shown.
        await robin.CheckInAsync("Low on capacity", "Here, quietly.");
        await Assertions.Expect(sam.FeedCheckIn("Here, quietly.")).ToBeVisibleAsync();
        await Assertions.Expect(sam.Page.Locator("li.feed-item[data-type^=support-]")).ToHaveCountAsync(0);
        await Assertions.Expect(sam.Page.Locator("li.feed-item[data-type=alert-acknowledged]")).ToHaveCountAsync(0);
        await Assertions.Expect(sam.Page.GetByTestId("support-status")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_request_sent_by_mistake_is_withdrawn_and_leaves_the_facilitators_list_at_once()
    {
        var (facilitator, members) = await CircleAsync("Friday circle", "Sam");
        var sam = members[0];
        var requests = facilitator.Page.Locator("[data-testid=support-requests]");

        await sam.AskForSupportAsync();
        await Assertions.Expect(requests).ToContainTextAsync("Sam");
        var panel = sam.Page.Locator("#support-panel");
        await Assertions.Expect(panel).ToContainTextAsync("Sent by mistake? You can withdraw it until");
        await MemberSide.PressAsync(panel.Locator("#support-withdraw-button"));

        await Assertions.Expect(panel.Locator(".support-told")).ToContainTextAsync("You withdrew your request.");
        await Assertions.Expect(panel.Locator(".support-told")).ToBeFocusedAsync();
        await Assertions.Expect(requests).ToHaveCountAsync(0);
        await Assertions.Expect(facilitator.FeedItemOfType("support-withdrawn", "withdrew their request")).ToBeVisibleAsync();
        // The panel offers to tell them again; nothing under the button claims a request.
        await Assertions.Expect(panel.Locator("#support-tell-button")).ToBeVisibleAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Close this" }).ClickAsync();
        await Assertions.Expect(sam.Page.GetByTestId("support-status")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task On_a_phone_every_section_is_a_thumb_away_and_the_feed_does_not_push_it_down()
    {
        var (facilitator, members) = await CircleAsync("Saturday circle", "Robin");
        var robin = members[0];
        for (var i = 0; i < 12; i++) await facilitator.ShareWinAsync($"Small thing {i}");
        await Assertions.Expect(robin.FeedItemOfType("win-shared", "Small thing 11")).ToBeVisibleAsync();

        var bar = robin.Page.GetByRole(AriaRole.Navigation, new() { Name = "Sections of this circle" });
        await Assertions.Expect(bar).ToBeVisibleAsync();
        var box = (await bar.BoundingBoxAsync())!;
        Assert.Equal(844, box.Y + box.Height, 1.0); // fixed to the bottom of the screen
        Assert.True(await robin.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The circle page scrolls sideways on a 390 px phone.");

        // By keyboard: Reflect opens the composer on reflecting, there, with focus at its heading.
        await MemberSide.PressAsync(bar.GetByRole(AriaRole.Button, new() { Name = "Reflect" }));
        await Assertions.Expect(robin.Page.Locator("#reflect-important")).ToBeInViewportAsync();
        await Assertions.Expect(robin.Page.Locator("#checkin-heading")).ToBeFocusedAsync();

        await MemberSide.PressAsync(bar.GetByRole(AriaRole.Button, new() { Name = "Practise" }));
        await Assertions.Expect(robin.Page.Locator("#commitments-heading")).ToBeInViewportAsync();
        await Assertions.Expect(robin.Page.Locator("#commitments-heading")).ToBeFocusedAsync();

        await MemberSide.PressAsync(bar.GetByRole(AriaRole.Button, new() { Name = "Bring" }));
        await Assertions.Expect(robin.Page.Locator("#bring-text")).ToBeInViewportAsync();

        await MemberSide.PressAsync(bar.GetByRole(AriaRole.Button, new() { Name = "Circle" }));
        await Assertions.Expect(robin.Page.Locator("#feed-heading")).ToBeInViewportAsync();
        // Nothing the bar covers: the last thing on the page scrolls clear of it.
        await robin.Page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        var last = (await robin.Page.Locator("main > :not(nav):not(.section-bar)").Last.BoundingBoxAsync())!;
        Assert.True(last.Y + last.Height <= (await bar.BoundingBoxAsync())!.Y + 1, "The bar covers the end of the page.");

        // On a laptop the sections sit side by side, without the bar.
        await Assertions.Expect(facilitator.Page.GetByTestId("section-bar")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task After_sending_by_keyboard_focus_stays_on_the_button_and_the_thanks_is_announced()
    {
        var (_, members) = await CircleAsync("Sunday circle", "Robin");
        var robin = members[0];

        await robin.ComposeAsync("A win");
        await robin.TypeAsync("#win-text", "I went outside.");
        await MemberSide.ChooseAsync(robin.Page.Locator("[data-form=win] fieldset.audience-choice"), "The circle");
        var send = robin.Page.Locator("#win-button");
        await MemberSide.PressAsync(send);

        var thanks = robin.Page.Locator("[data-form=win] .confirmation");
        await Assertions.Expect(thanks).ToHaveTextAsync("Shared. Small things count.");
        await Assertions.Expect(thanks).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(send).ToBeFocusedAsync();
        // The next Tab goes on from the form, not from the top of the page.
        await robin.Page.Keyboard.PressAsync("Shift+Tab");
        Assert.NotEqual("BODY", await robin.Page.EvaluateAsync<string>("() => document.activeElement.tagName"));
    }

    [Fact]
    public async Task A_live_round_appears_a_pass_is_a_full_answer_and_the_banner_goes_when_it_ends()
    {
        var (facilitator, members) = await CircleAsync("Tuesday circle", "Robin");
        var robin = members[0];

        await facilitator.TypeAsync("#round-prompt", "One word for your week?");
        await facilitator.Page.ClickAsync("#start-round-button");

        var banner = robin.Page.Locator(".round-banner");
        await Assertions.Expect(banner).ToContainTextAsync("One word for your week?");
        // The same large cards as the check-in's capacity, named by their question.
        var capacities = banner.GetByRole(AriaRole.Radiogroup, new() { Name = "Your capacity (optional)" });
        await Assertions.Expect(capacities.Locator("label.choice")).ToHaveCountAsync(Capacity.All.Count);
        await robin.Page.ClickAsync("#round-pass-button");
        await Assertions.Expect(banner).ToContainTextAsync("Thank you. Passing counts.");
        await Assertions.Expect(banner.Locator("#round-pass-button")).ToHaveCountAsync(0);

        await Assertions.Expect(facilitator.FeedItemOfType("round-answered", "passed")).ToContainTextAsync("Robin");

        await facilitator.Page.ClickAsync("#end-round-button");
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await Assertions.Expect(facilitator.Page.Locator("#start-round-button")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_win_answered_with_you_shows_the_name_in_words_and_never_a_number()
    {
        var (_, members) = await CircleAsync("Wednesday circle", "Robin", "Noor");
        var (robin, noor) = (members[0], members[1]);
        await robin.MarkPageAsync();

        await robin.ShareWinAsync("I made the phone call.");
        var seenByNoor = noor.FeedItemOfType("win-shared", "I made the phone call.");
        await seenByNoor.GetByRole(AriaRole.Button, new() { Name = "With you", Exact = true }).ClickAsync();

        var robinsWin = robin.FeedItemOfType("win-shared", "I made the phone call.");
        var answers = robinsWin.Locator("ul.acks");
        await Assertions.Expect(answers).ToContainTextAsync("Noor is with you");
        Assert.DoesNotMatch(new Regex(@"\d"), await answers.InnerTextAsync());
        Assert.True(await robin.IsSamePageAsync(), "Robin's page was reloaded.");
        // The answer lives under the win, not as a separate item in the feed; the author has no buttons to answer themself.
        await Assertions.Expect(robin.Page.Locator("li.feed-item[data-type=acknowledged]")).ToHaveCountAsync(0);
        await Assertions.Expect(robinsWin.Locator(".ack-button")).ToHaveCountAsync(0);
        // Noor's own view says what Noor said, and the button is now pressed.
        await Assertions.Expect(seenByNoor.Locator("ul.acks")).ToContainTextAsync("You said “With you”");
        await Assertions.Expect(seenByNoor.Locator(".ack-button[data-kind=with-you]")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task A_commitment_practised_together_shows_the_co_practitioner_and_a_rested_log()
    {
        var (_, members) = await CircleAsync("Thursday practice", "Robin", "Noor");
        var (robin, noor) = (members[0], members[1]);

        await robin.MakeCommitmentAsync("A short walk", "After lunch", "Ten minutes");

        var atNoor = noor.Commitment("A short walk");
        await Assertions.Expect(atNoor).ToContainTextAsync("Robin");
        await atNoor.GetByRole(AriaRole.Button, new() { Name = "Practise “A short walk” together with Robin" }).ClickAsync();
        await atNoor.Locator("details.log-practice summary").ClickAsync();
        await MemberSide.ChooseAsync(atNoor.Locator("details.log-practice fieldset"), "Rested");
        await atNoor.Locator(".log-practice-button").ClickAsync();
        await Assertions.Expect(atNoor.Locator(".confirmation")).ToContainTextAsync("Resting and letting go count too.");

        var atRobin = robin.Commitment("A short walk");
        await Assertions.Expect(atRobin.Locator(".co-practitioners")).ToContainTextAsync("Noor");
        await Assertions.Expect(atRobin.Locator(".practice-log[data-outcome=rested]")).ToContainTextAsync("Noor rested");
        await Assertions.Expect(atRobin.GetByRole(AriaRole.Button, new() { Name = "Practise", Exact = false })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Nothing_starts_shared_with_the_circle_and_each_kind_remembers_its_owners_choice_on_every_device()
    {
        var (facilitator, members) = await CircleAsync("Friday audience", "Robin");
        var robin = members[0];
        var page = robin.Page;
        ILocator Audience(string form) => page.Locator($"{form} fieldset.audience-choice");
        ILocator Chosen(string form) => Audience(form).Locator("input[type=radio]:checked");

        // A first check-in and a first win ask; reflections start as Robin's alone, things to bring with the facilitators.
        await robin.WaitUntilLiveAsync();
        await Assertions.Expect(Chosen(".checkin-form")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#checkin-button")).ToHaveTextAsync("Choose who can see this");
        await robin.ComposeAsync("A win");
        await Assertions.Expect(Chosen("[data-form=win]")).ToHaveCountAsync(0);
        await robin.TypeAsync("#win-text", "Sent before choosing.");
        await page.ClickAsync("#win-button");
        await Assertions.Expect(page.Locator("[data-form=win] .form-error")).ToHaveTextAsync(
            "Choose who can see this first: the circle, facilitators only, or only you.");
        await robin.ComposeAsync("For the session");
        await Assertions.Expect(Chosen("[data-form=bring]")).ToHaveAttributeAsync("value", "facilitators");
        await Assertions.Expect(page.Locator("#bring-button")).ToHaveTextAsync("Share with the facilitators");
        await robin.ComposeAsync("Reflect");
        await Assertions.Expect(Chosen(".reflect-form")).ToHaveAttributeAsync("value", "private");
        await Assertions.Expect(page.Locator("#reflect-button")).ToHaveTextAsync("Keep for me");
        await page.Locator("details.make-commitment summary").ClickAsync();
        await Assertions.Expect(Chosen("details.make-commitment")).ToHaveCountAsync(0);

        // Robin chooses for check-ins once; the button says where it goes.
        await robin.ComposeAsync("Check in");
        await MemberSide.ChooseAsync(Audience(".checkin-form"), "Facilitators only");
        await Assertions.Expect(page.Locator("#checkin-button")).ToHaveTextAsync("Share with the facilitators");

        // On Robin's other device: check-ins start there too, wins still ask, and nothing unchosen was stored.
        var laptop = await robin.OnAnotherDeviceAsync(browsers.Browser, app.BaseAddress);
        _people.Add(laptop);
        await laptop.Page.GotoAsync(page.Url);
        await laptop.WaitForCirclePageAsync();
        await Assertions.Expect(laptop.Page.Locator(".checkin-form fieldset.audience-choice input[type=radio]:checked"))
            .ToHaveAttributeAsync("value", "facilitators");
        await laptop.ComposeAsync("A win");
        await Assertions.Expect(laptop.Page.Locator("[data-form=win] fieldset.audience-choice input[type=radio]:checked")).ToHaveCountAsync(0);
        await Assertions.Expect(laptop.Page.Locator("ol.feed")).Not.ToContainTextAsync("Sent before choosing.");

        // A setting they can change: check-ins to "only me" from now on.
        await laptop.Page.GotoAsync("/settings");
        await laptop.Page.SelectOptionAsync("#audience-checkin", "private");
        await Assertions.Expect(laptop.Page.GetByTestId("audiences-saved")).ToHaveTextAsync("Saved.");
        await page.ReloadAsync();
        await robin.WaitForCirclePageAsync();
        await Assertions.Expect(Chosen(".checkin-form")).ToHaveAttributeAsync("value", "private");
        await Assertions.Expect(page.Locator("#checkin-button")).ToHaveTextAsync("Keep for me");

        // A win shared with the facilitators shows them the audience its author chose.
        await robin.ShareWinAsync("Told my facilitator first.", "Facilitators only");
        await Assertions.Expect(facilitator.FeedItemOfType("win-shared", "Told my facilitator first.").Locator(".audience"))
            .ToContainTextAsync("facilitators only");
    }

    [Fact]
    public async Task Earlier_entries_beyond_the_recent_window_come_when_asked_and_commitments_show_whatever_their_age()
    {
        var facilitator = await app.RegisterAsync("alex");
        var circle = await facilitator.CreateCircleAsync("A long-running circle");
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circle.CircleId);
        var alexId = (await facilitator.CircleAsync(circle.CircleId)).Members.Single().MemberId;
        await grain.CheckInAsync(alexId, new CheckInDraft(null, Capacity.Steady, null, "The very first evening.", "circle"));
        await grain.MakeCommitmentAsync(alexId, new MakeCommitmentDraft(null, "Tea without the phone", "after dinner", "one cup", "circle"));
        await grain.CheckInAsync(alexId, new CheckInDraft(null, Capacity.Low, null, "A private early note.", "private"));
        for (var i = 0; i < 220; i++)
            await grain.CheckInAsync(alexId, new CheckInDraft(null, Capacity.Some, null, $"Week note {i}.", "circle"));

        var robin = await OpenBrowserAsync(Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(circle.InviteCode, "Robin");
        await Assertions.Expect(robin.FeedCheckIn("Week note 219.")).ToBeVisibleAsync();
        await Assertions.Expect(robin.FeedCheckIn("The very first evening.")).ToHaveCountAsync(0);
        // Commitments are listed whatever their age: a practice made long ago can still be joined.
        await Assertions.Expect(robin.Commitment("Tea without the phone")).ToBeVisibleAsync();

        // The page stays short: the newest thirty, then thirty more at each press, from the log once the loaded ones run out.
        await Assertions.Expect(robin.Feed).ToHaveCountAsync(30);
        await Assertions.Expect(robin.FeedCheckIn("Week note 189.")).ToHaveCountAsync(0);
        var earlier = robin.Page.GetByRole(AriaRole.Button, new() { Name = "Show earlier entries" });
        await earlier.ClickAsync();
        await Assertions.Expect(robin.Feed).ToHaveCountAsync(60);
        await Assertions.Expect(robin.FeedCheckIn("Week note 189.")).ToBeVisibleAsync();
        for (var press = 0; press < 10 && await earlier.CountAsync() > 0; press++)
        {
            // Each press shows more; the button goes in the same render as the last of them arrives.
            var before = await robin.Feed.CountAsync();
            await earlier.ClickAsync();
            await Assertions.Expect(robin.Feed).Not.ToHaveCountAsync(before);
        }

        await Assertions.Expect(robin.FeedCheckIn("The very first evening.")).ToBeVisibleAsync();
        await Assertions.Expect(robin.FeedCheckIn("A private early note.")).ToHaveCountAsync(0);
        await Assertions.Expect(robin.FeedCheckIn("Week note 0.")).ToHaveCountAsync(1);
        await Assertions.Expect(robin.Page.Locator("[data-testid=show-earlier]")).ToHaveCountAsync(0);
    }

    /// <summary>A facilitator (laptop) starts a circle and keeps its page open; members join on phones.</summary>
    private async Task<(Person Facilitator, IReadOnlyList<Person> Members)> CircleAsync(string circleName, params string[] memberNames)
    {
        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        await facilitator.StartCircleAsync(circleName);
        var inviteCode = await facilitator.InviteCodeAsync();

        var members = new List<Person>();
        foreach (var name in memberNames)
        {
            var member = await OpenBrowserAsync(Phone);
            await member.RegisterAsync(name);
            await member.JoinCircleAsync(inviteCode, name);
            await Assertions.Expect(facilitator.Feed.Filter(new() { HasTextString = "joined the circle" }).Filter(new() { HasTextString = name }))
                .ToBeVisibleAsync();
            members.Add(member);
        }
        return (facilitator, members);
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
