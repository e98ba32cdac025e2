using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>The first flow as two people in two browsers: a facilitator on a laptop, a member on a phone.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class FirstFlowBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_members_check_in_appears_on_the_facilitators_open_page_without_a_reload_and_presence_follows_them()
    {
        var (facilitator, member, _) = await CircleWithMemberAsync("Thursday circle");

        await facilitator.MarkPageAsync();
        await member.CheckInAsync("Low on capacity", "Slept badly, but I came.");

        var item = facilitator.FeedCheckIn("Slept badly, but I came.");
        await Assertions.Expect(item).ToBeVisibleAsync();
        Assert.True(await facilitator.IsSamePageAsync(), "The facilitator's page was reloaded.");
        await Assertions.Expect(item.Locator(".capacity")).ToHaveTextAsync("Low on capacity");
        await Assertions.Expect(item.Locator("strong")).ToHaveTextAsync("Robin");

        // Presence: Robin is shown as here until they close the tab.
        await Assertions.Expect(facilitator.PeopleEntry("Robin")).ToContainTextAsync("here now");
        await member.CloseTabAsync();
        await Assertions.Expect(facilitator.PeopleEntry("Robin")).Not.ToContainTextAsync("here now");
    }

    [Fact]
    public async Task A_private_check_in_never_reaches_the_facilitators_page()
    {
        var (facilitator, member, _) = await CircleWithMemberAsync("Friday circle");

        await member.CheckInAsync("Resting", "Only for my own eyes.", audience: "Only me");
        await member.CheckInAsync("Steady", "Shared with everyone.");

        await Assertions.Expect(facilitator.FeedCheckIn("Shared with everyone.")).ToBeVisibleAsync();
        await Assertions.Expect(facilitator.FeedCheckIn("Only for my own eyes.")).ToHaveCountAsync(0);
        await Assertions.Expect(member.FeedCheckIn("Only for my own eyes.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task After_signing_out_and_back_in_a_person_finds_their_circle_again()
    {
        var person = await OpenBrowserAsync(Phone);
        await person.RegisterAsync("Jordan");
        await person.StartCircleAsync("Sunday circle");

        await person.SignOutAsync();
        await person.Page.GotoAsync("/circles");
        await Assertions.Expect(person.Page).ToHaveURLAsync(new Regex("/account/login"));

        await person.SignInAsync(password: "not the password");
        await Assertions.Expect(person.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await person.SignInAsync();
        await Assertions.Expect(person.Page).ToHaveURLAsync(new Regex("/circles$"));
        await Assertions.Expect(person.Page.GetByRole(AriaRole.List, new() { Name = "Your circles" })).ToContainTextAsync("Sunday circle");
    }

    /// <summary>
    /// The facilitator registers and starts a circle, and keeps its page open; a member registers on a phone and
    /// joins with the invite code the facilitator reads off that page.
    /// </summary>
    private async Task<(Person Facilitator, Person Member, Guid CircleId)> CircleWithMemberAsync(string circleName)
    {
        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        var circleId = await facilitator.StartCircleAsync(circleName);
        var inviteCode = await facilitator.InviteCodeAsync();
        Assert.Matches("^[A-Z2-9]{8}$", inviteCode);

        var member = await OpenBrowserAsync(Phone);
        await member.RegisterAsync("Robin");
        Assert.Equal(circleId, await member.JoinCircleAsync(inviteCode, "Robin"));

        // The member's arrival shows up live on the facilitator's page: from here on it is surely interactive.
        await Assertions.Expect(facilitator.Feed.Filter(new() { HasTextString = "joined the circle" })).ToBeVisibleAsync();
        return (facilitator, member, circleId);
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
