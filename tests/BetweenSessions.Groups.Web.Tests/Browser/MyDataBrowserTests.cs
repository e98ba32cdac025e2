using System.Text.Json;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A member downloads everything they wrote and then erases it, from their phone, while their circle page is still
/// open in another tab and the facilitator's page is open too: the words go from every open page at once.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class MyDataBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_member_downloads_what_they_wrote_then_erases_it_and_it_leaves_every_open_page()
    {
        var facilitator = await OpenAsync();
        await facilitator.RegisterAsync("Alex");
        await facilitator.StartCircleAsync("Tuesday circle");
        var robin = await OpenAsync(Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(await facilitator.InviteCodeAsync(), "Robin");
        await robin.CheckInAsync("Low on capacity", "Just for me tonight.", "Only me");
        await robin.CheckInAsync("Some capacity", "Shared with everyone.");
        await robin.MakeCommitmentAsync("Two slow breaths", "at the kettle", "just two");
        await Assertions.Expect(facilitator.FeedCheckIn("Shared with everyone.")).ToBeVisibleAsync();
        await Assertions.Expect(facilitator.Commitment("Two slow breaths")).ToBeVisibleAsync();

        var settings = await robin.Page.Context.NewPageAsync();
        await settings.GotoAsync("/settings");
        var download = await settings.RunAndWaitForDownloadAsync(() => settings.ClickAsync("#export-link"));
        using (var export = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!)))
        {
            var text = export.RootElement.GetRawText();
            Assert.Contains("Just for me tonight.", text);
            Assert.Contains("Shared with everyone.", text);
            Assert.Contains("Two slow breaths", text);
        }

        await Person.RetryUntilAsync(() => settings.ClickAsync("#erase-button"),
            () => settings.Locator("#erase-confirm").IsVisibleAsync(), "the erase confirmation");
        await settings.ClickAsync("#erase-confirm");
        await Assertions.Expect(settings.Locator("[data-testid=erased]")).ToBeVisibleAsync();

        // Gone from Robin's own open page (the private one included) and from the facilitator's, without a reload.
        await Assertions.Expect(robin.FeedCheckIn("Just for me tonight.")).ToHaveCountAsync(0);
        await Assertions.Expect(robin.FeedCheckIn("Shared with everyone.")).ToHaveCountAsync(0);
        await Assertions.Expect(facilitator.FeedCheckIn("Shared with everyone.")).ToHaveCountAsync(0);
        await Assertions.Expect(facilitator.Commitment("Two slow breaths")).ToHaveCountAsync(0);
        await Assertions.Expect(facilitator.Page.GetByText("Two slow breaths")).ToHaveCountAsync(0);

        // And from a fresh download.
        var again = await settings.RunAndWaitForDownloadAsync(() => settings.ClickAsync("#export-link"));
        var after = await File.ReadAllTextAsync((await again.PathAsync())!);
        Assert.DoesNotContain("Just for me tonight.", after);
        Assert.DoesNotContain("Shared with everyone.", after);
        Assert.DoesNotContain("Two slow breaths", after);
    }

    private async Task<Person> OpenAsync(ViewportSize? viewport = null)
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
