using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A member writes on their phone, and the phone sleeps in their hand (the screen locks, another app comes up). The
/// page pauses its circuit while it is hidden and, when it is seen again, picks up where the person left off: the same
/// page, what they were writing still there (sent or not), and what the circle shared meanwhile marked as new. Also
/// when the app restarted while the phone slept.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class SleepingPhoneBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task A_phone_that_sleeps_wakes_on_the_same_page_with_what_was_being_written_and_what_came_meanwhile()
    {
        var alex = await OpenAsync(app.BaseAddress);
        await alex.RegisterAsync("Alex");
        await alex.StartCircleAsync("Thursday evening");
        var robin = await OpenAsync(app.BaseAddress, touch: true);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(await alex.InviteCodeAsync(), "Robin");
        await robin.WaitUntilLiveAsync();
        await robin.MarkPageAsync();

        // Half a check-in (the browser's own fields), and a commitment being typed, its field still focused.
        var form = robin.Page.Locator(".checkin-form");
        await form.GetByRole(AriaRole.Radio, new() { Name = "Low on capacity", Exact = true }).CheckAsync();
        await form.Locator("#feelings").FillAsync("tired, hopeful");
        await form.Locator("#note").FillAsync("Half a thought from the bus.");
        await robin.Page.Locator("details.make-commitment > summary").ClickAsync();
        await robin.Page.Locator("#commit-practice").FillAsync("Three slow breaths at the door");

        await SleepAsync(robin);
        await alex.CheckInAsync("Steady", "Holding the space tonight.");
        await WakeAsync(robin);

        Assert.True(await robin.IsSamePageAsync(), "The page reloaded; it should have resumed.");
        await Assertions.Expect(form.GetByRole(AriaRole.Radio, new() { Name = "Low on capacity", Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(form.Locator("#feelings")).ToHaveValueAsync("tired, hopeful");
        await Assertions.Expect(form.Locator("#note")).ToHaveValueAsync("Half a thought from the bus.");
        await Assertions.Expect(robin.Page.Locator("details.make-commitment")).ToHaveAttributeAsync("open", "");
        await Assertions.Expect(robin.Page.Locator("#commit-practice")).ToHaveValueAsync("Three slow breaths at the door");
        await Assertions.Expect(robin.FeedCheckIn("Holding the space tonight.").Locator(".while-away")).ToBeVisibleAsync();

        // What was kept is sent as it is, once, to both pages.
        await form.GetByRole(AriaRole.Radio, new() { Name = "The circle", Exact = true }).CheckAsync();
        await form.Locator("#checkin-button").ClickAsync();
        await Assertions.Expect(robin.FeedCheckIn("Half a thought from the bus.")).ToHaveCountAsync(1);
        await Assertions.Expect(alex.FeedCheckIn("Half a thought from the bus.")).ToHaveCountAsync(1);
        await Assertions.Expect(form.Locator("#note")).ToHaveValueAsync("");

        // A second sleep with a win half written and the support panel open on a note: both are there after it.
        await robin.ComposeAsync("A win");
        await robin.Page.Locator("#win-text").FillAsync("Asked for help at work.");
        await robin.Page.Locator("#support-button").ClickAsync();
        await robin.Page.Locator("#support-note").FillAsync("It is a lot this week.");
        await SleepAsync(robin);
        await WakeAsync(robin);

        Assert.True(await robin.IsSamePageAsync(), "The page reloaded; it should have resumed.");
        await Assertions.Expect(robin.Page.Locator("#win-text")).ToHaveValueAsync("Asked for help at work.");
        await Assertions.Expect(robin.Page.Locator("#support-panel")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator("#support-note")).ToHaveValueAsync("It is a lot this week.");
        Assert.Empty(await AxeScan.SeriousViolationsAsync(robin.Page));
    }

    [Fact]
    public async Task A_phone_that_slept_while_the_app_restarted_wakes_with_its_page_and_its_drafts()
    {
        var dataFolder = Directory.CreateTempSubdirectory("bsg-sleep-").FullName;
        try
        {
            var before = GroupsAppFixture.OnDataFolder(dataFolder);
            _owned.Add(before);
            await before.InitializeAsync();
            await using var proxy = new CuttableProxy(before.BaseAddress);
            var robin = await OpenAsync(proxy.Address, touch: true);
            await robin.RegisterAsync("Robin");
            await robin.StartCircleAsync("Sunday morning");
            await robin.WaitUntilLiveAsync();
            await robin.MarkPageAsync();
            await robin.ComposeAsync("Reflect");
            await robin.Page.Locator("#reflect-important").FillAsync("Being listened to without advice.");

            await SleepAsync(robin);
            proxy.Cut();
            _owned.Remove(before);
            await before.DisposeAsync();
            var after = GroupsAppFixture.OnDataFolder(dataFolder);
            _owned.Add(after);
            await after.InitializeAsync();
            proxy.Restore(after.BaseAddress);
            await WakeAsync(robin);

            // The paused page's state was handed to the phone, so a server that never knew its circuit resumes it.
            Assert.True(await robin.IsSamePageAsync(), "The page reloaded; it should have resumed on the restarted app.");
            await Assertions.Expect(robin.Page.Locator("#reflect-important")).ToHaveValueAsync("Being listened to without advice.");
            await robin.Page.Locator("#reflect-button").ClickAsync();
            await Assertions.Expect(robin.Page.Locator(".reflect-form .confirmation")).ToContainTextAsync("Kept.");
        }
        finally
        {
            foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
            _owned.Clear();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>As a locked screen does: the page is hidden, and stays so until <see cref="WakeAsync"/>.</summary>
    private static async Task SleepAsync(Person person)
    {
        await SetVisibilityAsync(person, "hidden");
        await Assertions.Expect(person.Page.Locator("#components-reconnect-modal")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("components-reconnect-paused"));
        // Paused, and the page holds the circuit's state: from here the server may go away.
        await person.Page.WaitForFunctionAsync("() => window.bsg.connection.paused");
    }

    /// <summary>The page is seen again: back on a circuit, without a reload (the check-in form may be hidden behind another).</summary>
    private static async Task WakeAsync(Person person)
    {
        await SetVisibilityAsync(person, "visible");
        await Assertions.Expect(person.Page.Locator("#components-reconnect-modal")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("components-reconnect-hide"));
        await person.Page.WaitForFunctionAsync("() => window.bsg.connection.live");
    }

    private static Task SetVisibilityAsync(Person person, string state) => person.Page.EvaluateAsync(
        "state => { Object.defineProperty(document, 'visibilityState', { value: state, configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }",
        state);

    private async Task<Person> OpenAsync(Uri address, bool touch = false)
    {
        var person = await Person.OpenAsync(browsers.Browser, address, touch ? Phone : null, touch: touch);
        _owned.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
    }
}
