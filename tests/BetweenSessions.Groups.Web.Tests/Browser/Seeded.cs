using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Circles with a history, written through the app's grains (as the pages do) with the clock set back, then seen in
/// a browser signed in as one of the people. Weeks of check-ins take a moment this way, not weeks.
/// </summary>
public static class Seeded
{
    public static ICircleGrain Circle(this ClockedAppFixture app, Guid circleId) =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circleId);

    public static T Grain<T>(this ClockedAppFixture app, string key) where T : IGrainWithStringKey =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<T>(key);

    /// <summary>Starts a circle as its facilitator, at <paramref name="at"/>; returns its id and invite code.</summary>
    public static async Task<(Guid Id, string InviteCode)> StartCircleAsync(this ClockedAppFixture app, ClockedAppFixture.Account facilitator, string name, DateTimeOffset at)
    {
        var id = Guid.NewGuid();
        using (app.Clock.At(at))
        {
            var details = await app.Circle(id).CreateAsync(facilitator.MemberId, facilitator.DisplayName, name);
            return (id, details.InviteCode!);
        }
    }

    public static async Task JoinAsync(this ClockedAppFixture app, Guid circleId, string inviteCode, ClockedAppFixture.Account member, DateTimeOffset at)
    {
        using (app.Clock.At(at)) await app.Circle(circleId).JoinAsync(member.MemberId, member.DisplayName, inviteCode);
    }

    public static async Task<EventReceipt> CheckInAsync(this ClockedAppFixture app, Guid circleId, ClockedAppFixture.Account member, DateTimeOffset at,
        string capacity, string[] feelings, string? note, Visibility audience = Visibility.Circle)
    {
        using (app.Clock.At(at))
            return await app.Circle(circleId).CheckInAsync(member.MemberId,
                new CheckInDraft(Guid.NewGuid().ToString("N"), capacity, feelings, note, audience.ToWire()));
    }

    /// <summary>The instant of a wall-clock time in a time zone, <paramref name="daysAgo"/> days before today there.</summary>
    public static DateTimeOffset LocalTime(string timeZoneId, int daysAgo, int hour, int minute = 0)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddDays(-daysAgo).AddHours(hour).AddMinutes(minute);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>A browser for this account, as a phone or laptop in a given time zone, signed in through the sign-in page.</summary>
    public static async Task<Person> SignInAsync(IBrowser browser, Uri baseAddress, ClockedAppFixture.Account account, ViewportSize viewport,
        string timeZoneId = "Europe/London")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport, BaseURL = baseAddress.ToString(), TimezoneId = timeZoneId, Locale = "en-GB",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", account.Email);
        await page.FillAsync("#password", GroupsAppFixture.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/circles$"));
        return new Person(page);
    }
}
