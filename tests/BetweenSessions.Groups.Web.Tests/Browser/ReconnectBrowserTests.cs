using System.Text.Json;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A member's phone loses its connection while the facilitator's laptop does not. The member's page says so without
/// blocking anything, keeps a check-in written meanwhile on the device, comes back by itself, sends that check-in
/// exactly once and marks what arrived while they were away. The same after the app restarts: the page reloads by
/// itself and nothing written on the device is lost or doubled.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class ReconnectBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task A_check_in_written_while_the_connection_is_down_is_sent_once_when_it_is_back_and_what_was_missed_is_marked()
    {
        await using var proxy = new CuttableProxy(app.BaseAddress);
        var facilitator = await OpenAsync(app.BaseAddress);
        await facilitator.RegisterAsync("Alex");
        await facilitator.StartCircleAsync("Thursday evening");
        var robin = await OpenAsync(proxy.Address, Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(await facilitator.InviteCodeAsync(), "Robin");
        await robin.WaitUntilLiveAsync();
        await robin.MarkPageAsync();

        proxy.Cut();
        var banner = robin.Page.Locator("#components-reconnect-modal");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToContainTextAsync("You can still write a check-in");

        await facilitator.CheckInAsync("Steady", "Holding the space tonight.");
        await WriteCheckInOfflineAsync(robin, "Low on capacity", "Wrote this on the train, no signal.");
        await Assertions.Expect(robin.Page.Locator(".checkin-form .outbox-status")).ToContainTextAsync("Kept on this phone");
        await Assertions.Expect(robin.Page.Locator("#note")).ToHaveValueAsync(""); // ready for the next one

        proxy.Restore();
        await Assertions.Expect(banner).ToBeHiddenAsync();
        await Assertions.Expect(robin.Page.Locator("[data-testid=sent-from-device]")).ToBeVisibleAsync();
        await Assertions.Expect(robin.FeedCheckIn("Wrote this on the train, no signal.")).ToHaveCountAsync(1);
        await Assertions.Expect(facilitator.FeedCheckIn("Wrote this on the train, no signal.")).ToHaveCountAsync(1);
        Assert.True(await robin.IsSamePageAsync(), "The member's page reloaded; the same circuit should have come back.");

        // What the facilitator wrote meanwhile is marked; what Robin saw before the drop is not.
        await Assertions.Expect(robin.Page.Locator("[data-testid=back-again]")).ToContainTextAsync("new since you were away");
        await Assertions.Expect(robin.FeedCheckIn("Holding the space tonight.").Locator(".while-away")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Feed.Filter(new() { HasTextString = "joined the circle" }).Locator(".while-away")).ToHaveCountAsync(0);
        Assert.Empty(await OutboxAsync(robin));

        // Nothing is sent again on a later visit.
        await robin.Page.ReloadAsync();
        await robin.WaitUntilLiveAsync();
        await Assertions.Expect(robin.FeedCheckIn("Wrote this on the train, no signal.")).ToHaveCountAsync(1);
        await Assertions.Expect(robin.Page.Locator("[data-testid=sent-from-device]")).ToHaveCountAsync(0);
        await Assertions.Expect(facilitator.FeedCheckIn("Wrote this on the train, no signal.")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task After_a_restart_the_page_reloads_by_itself_and_sends_what_was_kept_exactly_once()
    {
        var dataFolder = Directory.CreateTempSubdirectory("bsg-restart-").FullName;
        try
        {
            var before = GroupsAppFixture.OnDataFolder(dataFolder);
            await before.InitializeAsync();
            await using var proxy = new CuttableProxy(before.BaseAddress);
            var robin = await OpenAsync(proxy.Address, Phone);
            await robin.RegisterAsync("Robin");
            await robin.StartCircleAsync("Sunday morning");
            await robin.CheckInAsync("Some capacity", "Before the restart.");

            proxy.Cut();
            await before.DisposeAsync();
            await Assertions.Expect(robin.Page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
            await WriteCheckInOfflineAsync(robin, "Resting", "Written while the app was restarting.");
            await Assertions.Expect(robin.Page.Locator(".checkin-form .outbox-status")).ToContainTextAsync("Kept on this phone");

            var after = GroupsAppFixture.OnDataFolder(dataFolder);
            _owned.Add(after);
            await after.InitializeAsync();
            proxy.Restore(after.BaseAddress);

            // The old circuit is gone with the old process: the page reloads, still signed in, and sends what it kept.
            await Assertions.Expect(robin.Page.Locator("[data-testid=sent-from-device]")).ToBeVisibleAsync();
            await Assertions.Expect(robin.FeedCheckIn("Written while the app was restarting.")).ToHaveCountAsync(1);
            await Assertions.Expect(robin.FeedCheckIn("Before the restart.")).ToHaveCountAsync(1);
            Assert.Empty(await OutboxAsync(robin));

            await robin.Page.ReloadAsync();
            await robin.WaitUntilLiveAsync();
            await Assertions.Expect(robin.FeedCheckIn("Written while the app was restarting.")).ToHaveCountAsync(1);
        }
        finally
        {
            foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
            _owned.Clear();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>As a person does with no connection: the native controls answer, Blazor does not.</summary>
    private static async Task WriteCheckInOfflineAsync(Person person, string capacity, string note)
    {
        var form = person.Page.Locator(".checkin-form");
        await form.GetByRole(AriaRole.Radio, new() { Name = capacity, Exact = true }).CheckAsync();
        await form.GetByRole(AriaRole.Radio, new() { Name = "The circle", Exact = true }).CheckAsync();
        await form.Locator("#note").FillAsync(note);
        await form.Locator("#checkin-button").ClickAsync();
    }

    private static async Task<JsonElement[]> OutboxAsync(Person person) =>
        await person.Page.EvaluateAsync<JsonElement[]>("() => window.bsg.outbox.all()");

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
