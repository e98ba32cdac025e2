using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A member's phone loses its connection (a TCP proxy that drops every connection, WebSockets included) and they go
/// on writing: every kind of entry is kept on the phone, listed as such, and reaches the circle exactly once when the
/// connection is back. What the circle refuses by then is said in plain words and not tried again. What is kept is the
/// person's alone: signing out asks first when something is unsent, then removes it, and the next person to sign in
/// on the same browser finds nothing of it.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class OfflineEntriesBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task Every_kind_of_entry_written_while_the_connection_is_down_is_kept_on_the_phone_and_arrives_once_when_it_is_back()
    {
        await using var proxy = new CuttableProxy(app.BaseAddress);
        var alex = await OpenAsync(app.BaseAddress);
        await alex.RegisterAsync("Alex");
        var circleId = await alex.StartCircleAsync("Tuesday evening");
        var robin = await OpenAsync(proxy.Address, Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(await alex.InviteCodeAsync(), "Robin");
        await robin.WaitUntilLiveAsync();
        await robin.MakeCommitmentAsync("Three slow breaths", "At the door", "One minute");
        await app.Circle(circleId).StartRoundAsync(await app.MemberIdAsync(alex), new StartRoundDraft(null, "One word for today?"));
        var round = robin.Page.Locator("section.round-banner");
        await Assertions.Expect(round.Locator("#round-answer-button")).ToBeVisibleAsync();
        var page = robin.Page;

        proxy.Cut();
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();

        // Written as a person does with no connection: only the browser's own controls answer.
        var checkIn = page.Locator(".checkin-form");
        await Radio(checkIn, "Low on capacity").CheckAsync();
        await Radio(checkIn, "The circle").CheckAsync();
        await checkIn.Locator("#note").FillAsync("Check-in from the tunnel.");
        await checkIn.Locator("#checkin-button").ClickAsync();
        await ExpectKeptAsync(checkIn);
        await Assertions.Expect(checkIn.Locator("#note")).ToHaveValueAsync("");

        await Radio(page.Locator("fieldset.segments"), "A win").CheckAsync();
        var win = page.Locator("[data-form=win]");
        await win.Locator("#win-text").FillAsync("Win from the tunnel.");
        await Radio(win, "The circle").CheckAsync();
        await win.Locator("#win-button").ClickAsync();
        await ExpectKeptAsync(win);

        await Radio(page.Locator("fieldset.segments"), "For the session").CheckAsync();
        var bring = page.Locator("[data-form=bring]");
        await bring.Locator("#bring-text").FillAsync("Bring from the tunnel.");
        await bring.Locator("#bring-button").ClickAsync(); // facilitators only, as it starts
        await ExpectKeptAsync(bring);

        await Radio(page.Locator("fieldset.segments"), "Reflect").CheckAsync();
        var reflect = page.Locator(".reflect-form");
        await reflect.Locator("#reflect-important").FillAsync("Reflection from the tunnel.");
        await Radio(reflect, "Facilitators only").CheckAsync();
        await reflect.Locator("#reflect-button").ClickAsync();
        await ExpectKeptAsync(reflect);

        var commitment = robin.Commitment("Three slow breaths");
        await commitment.Locator("details.log-practice summary").ClickAsync();
        var log = commitment.Locator("form.log-practice-form");
        await log.Locator(".log-practice-button").ClickAsync();
        await Assertions.Expect(log.Locator(".outbox-status")).ToContainTextAsync("Choose how it went");
        await Radio(log, "Rested").CheckAsync();
        await log.Locator("input[name=note]").FillAsync("Practice from the tunnel.");
        await log.Locator(".log-practice-button").ClickAsync();
        await ExpectKeptAsync(log);

        await round.Locator("#round-text").FillAsync("Tunnelled");
        await round.Locator("#round-answer-button").ClickAsync();
        await ExpectKeptAsync(round);

        var kept = page.Locator("[data-kept-list] li");
        await Assertions.Expect(kept).ToHaveCountAsync(6);
        await Assertions.Expect(kept.Filter(new() { HasTextString = "A win: “Win from the tunnel.”" }))
            .ToContainTextAsync("kept on this phone, will be sent");
        Assert.Equal(6, (await OutboxAsync(robin)).Length);
        Assert.Empty(await AxeScan.SeriousViolationsAsync(page));

        proxy.Restore();
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=sent-from-device]")).ToBeVisibleAsync();
        await Assertions.Expect(kept).ToHaveCountAsync(0);
        await Assertions.Expect(round).ToContainTextAsync("Thank you for answering");

        // Each once, on Robin's page and on the facilitator's (every audience chosen here includes facilitators).
        foreach (var person in new[] { robin, alex })
        {
            foreach (var (type, text) in Written)
                await Assertions.Expect(person.FeedItemOfType(type, text)).ToHaveCountAsync(1);
        }
        Assert.Empty(await OutboxAsync(robin));

        // A later visit sends nothing again, and the log holds each entry once.
        await page.ReloadAsync();
        await robin.WaitUntilLiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=sent-from-device]")).ToHaveCountAsync(0);
        foreach (var (type, text) in Written)
            await Assertions.Expect(robin.FeedItemOfType(type, text)).ToHaveCountAsync(1);
        var robinId = await app.MemberIdAsync(robin);
        var events = await app.Circle(circleId).ReadEventsAsync(robinId, 0, 500);
        foreach (var (type, _) in Written)
            Assert.Single(events.Events, e => e.Type == type && e.MemberId == robinId);
    }

    [Fact]
    public async Task What_the_circle_refuses_later_is_said_once_and_what_is_kept_leaves_with_the_person_who_signs_out()
    {
        await using var proxy = new CuttableProxy(app.BaseAddress);
        var alex = await OpenAsync(app.BaseAddress);
        await alex.RegisterAsync("Alex");
        var circleId = await alex.StartCircleAsync("Wednesday morning");
        var inviteCode = await alex.InviteCodeAsync();
        var alexId = await app.MemberIdAsync(alex);
        var robin = await OpenAsync(proxy.Address, Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(inviteCode, "Robin");
        await robin.WaitUntilLiveAsync();
        var robinId = await app.MemberIdAsync(robin);
        await app.Circle(circleId).StartRoundAsync(alexId, new StartRoundDraft(null, "How was the week?"));
        var round = robin.Page.Locator("section.round-banner");
        await Assertions.Expect(round.Locator("#round-pass-button")).ToBeVisibleAsync();

        // A pass written offline, for a round that ends before the connection is back.
        proxy.Cut();
        await Assertions.Expect(robin.Page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
        await round.Locator("#round-pass-button").ClickAsync();
        await ExpectKeptAsync(round);
        var roundId = (await app.Circle(circleId).GetDetailsAsync(alexId)).OpenRound!.RoundId;
        await app.Circle(circleId).EndRoundAsync(alexId, new EndRoundDraft(null, roundId));
        proxy.Restore();

        var refused = robin.Page.Locator("[data-testid=refused-from-device]");
        await Assertions.Expect(refused).ToHaveTextAsync(
            "A round answer you wrote while the connection was down was not accepted: That round is not open; it may have ended.");
        Assert.Empty(await OutboxAsync(robin));
        await robin.Page.ReloadAsync();
        await robin.WaitUntilLiveAsync();
        await Assertions.Expect(refused).ToHaveCountAsync(0);
        Assert.DoesNotContain((await app.Circle(circleId).ReadEventsAsync(alexId, 0, 500)).Events,
            e => e.Type == EventTypes.RoundAnswered);

        // A win kept on the phone, and the page closed before the connection came back.
        proxy.Cut();
        await Assertions.Expect(robin.Page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
        await Radio(robin.Page.Locator("fieldset.segments"), "A win").CheckAsync();
        var win = robin.Page.Locator("[data-form=win]");
        await win.Locator("#win-text").FillAsync("Something only Robin wrote.");
        await Radio(win, "Only me").CheckAsync();
        await win.Locator("#win-button").ClickAsync();
        await ExpectKeptAsync(win);
        var context = robin.Page.Context;
        await robin.Page.CloseAsync();
        proxy.Restore();

        var page = await context.NewPageAsync();
        await page.GotoAsync("/circles");
        Assert.Contains("Something only Robin wrote.", await StorageAsync(page));

        // Signing out would delete it: asked first, and staying is a choice.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var warning = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(warning).ToContainTextAsync(
            "1 thing you wrote is still on this phone and has not reached your circle. Signing out deletes it.");
        // Staying is where focus starts, so Enter or a stray tap keeps what was written.
        await Assertions.Expect(warning.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" })).ToBeFocusedAsync();
        Assert.Empty(await AxeScan.SeriousViolationsAsync(page));
        await warning.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" }).ClickAsync();
        await Assertions.Expect(warning).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        Assert.Contains("Something only Robin wrote.", await StorageAsync(page));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await warning.GetByRole(AriaRole.Button, new() { Name = "Sign out and delete them" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in" }))
            .ToBeVisibleAsync();

        // Someone else on the same browser finds nothing of Robin's, in storage or on the circle's page.
        var sam = new Person(page);
        await sam.RegisterAsync("Sam");
        await sam.JoinCircleAsync(inviteCode, "Sam");
        await sam.WaitUntilLiveAsync();
        var storage = await StorageAsync(page);
        Assert.DoesNotContain("Something only Robin wrote.", storage);
        Assert.DoesNotContain(robinId, storage);
        await Assertions.Expect(page.Locator("[data-kept-list] li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Something only Robin wrote.");
    }

    private static readonly (string Type, string Text)[] Written =
    [
        (EventTypes.CheckIn, "Check-in from the tunnel."),
        (EventTypes.WinShared, "Win from the tunnel."),
        (EventTypes.BroughtToSession, "Bring from the tunnel."),
        (EventTypes.Reflected, "Reflection from the tunnel."),
        (EventTypes.PracticeLogged, "Practice from the tunnel."),
        (EventTypes.RoundAnswered, "Tunnelled"),
    ];

    private static ILocator Radio(ILocator within, string label) =>
        within.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true });

    private static Task ExpectKeptAsync(ILocator form) =>
        Assertions.Expect(form.Locator(".outbox-status")).ToHaveTextAsync("Kept on this phone. It will be sent when the connection is back.");

    private static async Task<JsonElement[]> OutboxAsync(Person person) =>
        await person.Page.EvaluateAsync<JsonElement[]>("() => window.bsg.outbox.all()");

    /// <summary>Everything this origin keeps in the browser's storage, keys and values, as one text.</summary>
    private static Task<string> StorageAsync(IPage page) => page.EvaluateAsync<string>(
        "() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => k + '=' + s.getItem(k))).join('\\n')");

    private async Task<Person> OpenAsync(Uri address, ViewportSize? viewport = null)
    {
        var person = await Person.OpenAsync(browsers.Browser, address, viewport);
        _owned.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
    }
}
