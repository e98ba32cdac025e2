using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>What a facilitator does on the dashboard, in their words (helpers for the dashboard's browser tests).</summary>
public static class FacilitatorSide
{
    /// <summary>
    /// A facilitator who registers in the browser ("Alex") and starts a circle, and members who join it through the
    /// grain: the page of one facilitator over a circle of people, without each person's sign-up. Ids by name.
    /// </summary>
    public static async Task<(Person Facilitator, Guid CircleId, ICircleGrain Circle, IReadOnlyDictionary<string, string> Ids)> CircleOfAsync(
        GroupsAppFixture app, IBrowser browser, ICollection<Person> people, string circleName, ViewportSize? viewport, string? timeZoneId,
        params string[] members)
    {
        var alex = await Person.OpenAsync(browser, app.BaseAddress, viewport, timeZoneId);
        people.Add(alex);
        await alex.RegisterAsync("Alex");
        var ids = new Dictionary<string, string> { ["Alex"] = await app.MemberIdAsync(alex) };
        var circleId = Guid.NewGuid();
        var circle = app.Circle(circleId);
        await circle.CreateAsync(ids["Alex"], "Alex", circleName);
        var code = (await circle.GetFacilitationAsync(ids["Alex"])).InviteCode;
        foreach (var name in members)
        {
            ids[name] = $"member-{name.ToLowerInvariant()}-{Guid.NewGuid():N}";
            await circle.JoinAsync(ids[name], name, code);
        }
        return (alex, circleId, circle, ids);
    }

    /// <summary>The dashboard, once it has loaded.</summary>
    public static ILocator Dashboard(this Person person) => person.Page.Locator("[data-testid=dashboard][data-ready=true]");

    /// <summary>Opens the dashboard the way a facilitator does, from the circle page's "Facilitate" link.</summary>
    public static async Task OpenDashboardAsync(this Person person)
    {
        await person.Page.GetByTestId("facilitate-link").ClickAsync();
        await Assertions.Expect(person.Dashboard()).ToBeVisibleAsync();
    }

    /// <summary>Opens one part of the dashboard ("The session", "People", "Patterns", "Schedule and settings") from its tab list.</summary>
    public static async Task DashboardPartAsync(this Person person, string name)
    {
        var tab = person.Page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-selected", "true");
    }

    /// <summary>A person's line in the dashboard's member list (in its "People" part).</summary>
    public static ILocator MemberLine(this Person person, string displayName) =>
        person.Page.Locator($"[data-testid=people] li.member-fact[data-member='{displayName}']");

    /// <summary>The quiet marks of the ways a person showed up in the chosen period, in their fixed order.</summary>
    public static ILocator Marks(this Person person, string displayName) => person.MemberLine(displayName).Locator("ul.marks li.mark");

    public static ILocator RoundLine(this Person person, string displayName) =>
        person.Page.Locator($"[data-testid=round-panel] li.round-line[data-member='{displayName}']");

    /// <summary>The names in the member list, top to bottom.</summary>
    public static async Task<IReadOnlyList<string>> MemberOrderAsync(this Person person) =>
        await person.Page.Locator("[data-testid=people] li.member-fact").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.member)");

    /// <summary>The app's id of a person who registered in the browser, for writing through the grains.</summary>
    public static async Task<string> MemberIdAsync(this GroupsAppFixture app, Person person)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>();
        return (await users.FindByEmailAsync(person.Email!))!.Id;
    }

    /// <summary>A circle's grain in the running app: members' entries that are not the point of a test go straight in.</summary>
    public static ICircleGrain Circle(this GroupsAppFixture app, Guid circleId) =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circleId);

    /// <summary>True when the page is no wider than the screen (nothing to scroll sideways on a phone).</summary>
    public static Task<bool> FitsTheScreenAsync(this Person person) =>
        person.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");
}
