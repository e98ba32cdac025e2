using BetweenSessions.Groups.Grains.Commitments;
using BetweenSessions.Groups.Contracts.Commitments;
using Orleans;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A cue time and the quiet reminder on phones, by keyboard: Robin (Berlin) commits to a practice around 08:00 and
/// asks to be reminded, Noor (Auckland) practises it with a reminder of her own, each reminder arrives on
/// /notifications at 08:00 on that person's clock (the app's clock moved there, as a day would), and Noor turns hers
/// off again.
/// </summary>
[Collection(ClockedAppFixture.Collection)]
public sealed class CueReminderBrowserTests(ClockedAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_commitment_around_eight_reminds_each_practitioner_who_asked_at_their_own_eight_and_can_be_turned_off()
    {
        var robinAccount = await app.CreateAccountAsync("Robin");
        var noorAccount = await app.CreateAccountAsync("Noor");
        await app.Grain<IMemberSettingsGrain>(robinAccount.MemberId).SaveAsync(new MemberSettings(TimeZoneId: "Europe/Berlin"));
        await app.Grain<IMemberSettingsGrain>(noorAccount.MemberId).SaveAsync(new MemberSettings(TimeZoneId: "Pacific/Auckland"));
        var (circleId, inviteCode) = await app.StartCircleAsync(robinAccount, "Morning circle", DateTimeOffset.UtcNow);
        await app.JoinAsync(circleId, inviteCode, noorAccount, DateTimeOffset.UtcNow);
        var report = new Dictionary<string, IReadOnlyList<string>>();

        var robin = await SignInAsync(robinAccount, "Europe/Berlin");
        await robin.Page.GotoAsync($"/circles/{circleId}");
        await robin.WaitForCirclePageAsync();
        await robin.WaitUntilLiveAsync();
        var form = robin.Page.Locator("details.make-commitment");
        await form.Locator("summary").FocusAsync();
        await robin.Page.Keyboard.PressAsync("Enter");
        await robin.TypeAsync("#commit-practice", "Morning stretch");
        await robin.TypeAsync("#commit-cue", "After brushing my teeth");
        var time = robin.Page.GetByLabel("Around what time? (optional, your own time)");
        await time.FillAsync("08:00");
        await time.PressAsync("Tab");
        var remind = robin.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Remind me quietly around that time (only you see this)" });
        await remind.FocusAsync();
        await Person.RetryUntilAsync(() => robin.Page.Keyboard.PressAsync("Space"), () => remind.IsCheckedAsync(), "remind me to be chosen");
        // A first commitment asks who may see it.
        var withTheCircle = form.Locator("fieldset.audience-choice").GetByRole(AriaRole.Radio, new() { Name = "The circle", Exact = true });
        await withTheCircle.FocusAsync();
        await Person.RetryUntilAsync(() => robin.Page.Keyboard.PressAsync("Space"), () => MemberSide.IsCheckedAsync(withTheCircle), "the circle to be chosen");
        await Assertions.Expect(robin.Page.Locator("#commit-button")).ToHaveTextAsync("Share with the circle");
        await robin.Page.Locator("#commit-button").FocusAsync();
        await robin.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(form.Locator(".confirmation")).ToContainTextAsync("You will get a quiet reminder around that time");

        var atRobin = robin.Commitment("Morning stretch");
        await Assertions.Expect(atRobin.Locator(".commitment-what")).ToContainTextAsync("(After brushing my teeth, around 8:00)");
        var robinsSwitch = atRobin.GetByRole(AriaRole.Checkbox, new() { Name = "Remind me around 8:00, my time (only you see this)" });
        await Assertions.Expect(robinsSwitch).ToBeCheckedAsync();
        await AxeScan.ScanAsync(robin.Page, "circle page with a timed commitment, on a phone", report);

        var noor = await SignInAsync(noorAccount, "Pacific/Auckland");
        await noor.Page.GotoAsync($"/circles/{circleId}");
        await noor.WaitForCirclePageAsync();
        await noor.WaitUntilLiveAsync();
        var atNoor = noor.Commitment("Morning stretch");
        await Assertions.Expect(atNoor.Locator(".commitment-what")).ToContainTextAsync("around 8:00");
        // Robin's choice is hers: nothing on Noor's page says that Robin asked to be reminded.
        await Assertions.Expect(atNoor.GetByRole(AriaRole.Checkbox, new() { Name = "Remind me around 8:00, my time (only you see this)" }))
            .Not.ToBeCheckedAsync();
        var noorsJoinSwitch = atNoor.GetByRole(AriaRole.Checkbox, new() { Name = "Remind me around 8:00, my time (only you see this)" });
        await noorsJoinSwitch.FocusAsync();
        await Person.RetryUntilAsync(() => noor.Page.Keyboard.PressAsync("Space"), () => noorsJoinSwitch.IsCheckedAsync(), "remind me to be chosen");
        await atNoor.GetByRole(AriaRole.Button, new() { Name = "Practise “Morning stretch” together with Robin" }).FocusAsync();
        await noor.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(atNoor.Locator(".confirmation")).ToContainTextAsync("with a quiet reminder around 8:00, your time");
        var noorsSwitch = atNoor.GetByRole(AriaRole.Checkbox, new() { Name = "Remind me around 8:00, my time (only you see this)" });
        await Assertions.Expect(noorsSwitch).ToBeCheckedAsync();

        // A day goes by: each reminder fires at 08:00 on its owner's own clock.
        var commitmentId = Guid.Parse((await atRobin.GetAttributeAsync("data-commitment-id"))!);
        var robinsEight = CueSchedule.Next(new TimeOnly(8, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), DateTimeOffset.UtcNow);
        var noorsEight = CueSchedule.Next(new TimeOnly(8, 0), TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"), DateTimeOffset.UtcNow);
        Assert.Equal([commitmentId], await app.Grain<ICueReminderGrain>(noorAccount.MemberId).ListAsync());
        foreach (var at in new[] { robinsEight, noorsEight }.Order())
            using (app.Clock.At(at.AddSeconds(1)))
                await ReminderTicks.DeliverDueAsync(app.Services, app.Clock.GetUtcNow());

        foreach (var (person, name) in new[] { (robin, "Robin"), (noor, "Noor") })
        {
            await person.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Nudges", Exact = true }).ClickAsync();
            var item = person.Page.Locator("[data-testid=nudges] li.nudge[data-kind=cue]");
            await Assertions.Expect(item).ToHaveCountAsync(1);
            await Assertions.Expect(item).ToContainTextAsync("Around 8:00: Morning stretch");
            await Assertions.Expect(item).ToContainTextAsync("If today is a day to rest, that counts too.");
            await Assertions.Expect(item.GetByRole(AriaRole.Link, new() { Name = "Open" })).ToHaveAttributeAsync("href", $"/circles/{circleId}");
            foreach (var word in new[] { "missed", "overdue", "streak" })
                await Assertions.Expect(person.Page.Locator("main")).Not.ToContainTextAsync(word);
            await AxeScan.ScanAsync(person.Page, $"nudges with a cue reminder ({name}), on a phone", report);
        }

        // Noor turns hers off, by keyboard, on the commitment; it stays off.
        await noor.Page.GotoAsync($"/circles/{circleId}");
        await noor.WaitForCirclePageAsync();
        await noor.WaitUntilLiveAsync();
        await Assertions.Expect(noorsSwitch).ToBeCheckedAsync();
        await noorsSwitch.FocusAsync();
        await Person.RetryUntilAsync(() => noor.Page.Keyboard.PressAsync("Space"), async () => !await noorsSwitch.IsCheckedAsync(), "the reminder to be off");
        await Assertions.Expect(atNoor.Locator(".confirmation")).ToContainTextAsync("No reminder for this one.");
        Assert.Empty(await app.Grain<ICueReminderGrain>(noorAccount.MemberId).ListAsync());
        await noor.Page.ReloadAsync();
        await noor.WaitForCirclePageAsync();
        await Assertions.Expect(noorsSwitch).Not.ToBeCheckedAsync();
        Assert.Equal([commitmentId], await app.Grain<ICueReminderGrain>(robinAccount.MemberId).ListAsync()); // Robin's stays
        AxeScan.AssertClean(report);
    }

    private async Task<Person> SignInAsync(ClockedAppFixture.Account account, string timeZoneId)
    {
        var person = await Seeded.SignInAsync(browsers.Browser, app.BaseAddress, account, Phone, timeZoneId);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
