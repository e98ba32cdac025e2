using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Contracts.Nudges;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>The nudge list on a phone: calm, live, without numbers, and clean for axe-core.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class NudgesBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_nudge_appears_live_on_an_open_list_without_any_count_and_can_be_put_away()
    {
        var sam = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone);
        _people.Add(sam);
        await sam.RegisterAsync("Sam");
        var header = sam.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await header.GetByRole(AriaRole.Link, new() { Name = "Nudges", Exact = true }).ClickAsync();
        await Assertions.Expect(sam.Page.Locator("[data-testid=nudges-empty]")).ToHaveTextAsync("Nothing here right now.");

        var nudges = app.Services.GetRequiredService<IGrainFactory>().GetGrain<INudgeGrain>(await MemberIdAsync(sam));
        await nudges.OfferAsync(new NudgeRequest("browser-test-1", NudgeKinds.Reflect, "A moment to reflect",
            "If you like, note what stays with you from today's session.", "circles"));

        var item = sam.Page.Locator("[data-testid=nudges] li.nudge");
        await Assertions.Expect(item).ToHaveCountAsync(1);
        await Assertions.Expect(item).ToContainTextAsync("A moment to reflect");
        await Assertions.Expect(item).ToContainTextAsync("(your time)");
        // The header link never carries a number, however many nudges there are.
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Nudges" })).ToHaveTextAsync("Nudges");
        await Assertions.Expect(sam.Page.Locator("main")).Not.ToContainTextAsync("overdue");
        await Assertions.Expect(sam.Page.Locator("main")).Not.ToContainTextAsync("missed");

        var report = new Dictionary<string, IReadOnlyList<string>>();
        await AxeScan.ScanAsync(sam.Page, "nudges on a phone", report);
        AxeScan.AssertClean(report);

        await sam.Page.GetByRole(AriaRole.Button, new() { Name = "Put away: A moment to reflect" }).ClickAsync();
        await Assertions.Expect(sam.Page.Locator("[data-testid=nudges-empty]")).ToBeVisibleAsync();
        await sam.Page.ReloadAsync();
        await Assertions.Expect(sam.Page.Locator("[data-testid=nudges-empty]")).ToBeVisibleAsync();
    }

    private async Task<string> MemberIdAsync(Person person)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>();
        var user = await users.FindByEmailAsync(person.Email!);
        return user!.Id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
