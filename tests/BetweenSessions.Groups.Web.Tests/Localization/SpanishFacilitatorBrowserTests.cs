using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// A facilitator whose browser asks for Spanish runs a round, reads the dashboard and their nudges in Spanish, with
/// lang="es" and axe-clean; the member's support button speaks Spanish too.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class SpanishFacilitatorBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_facilitator_runs_a_round_and_reads_the_dashboard_and_nudges_in_spanish()
    {
        var alex = await OpenAsync(Laptop);
        await alex.RegisterAsync("Alex");
        var robin = await OpenAsync(Phone);
        await robin.RegisterAsync("Robin");
        var circle = await FacilitationCircle.MakeAsync(app, alex, robin, "Círculo del jueves");
        var scans = new Dictionary<string, IReadOnlyList<string>>();
        var page = alex.Page;

        await page.GotoAsync($"/circles/{circle.CircleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acompañando Círculo del jueves" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "La sesión" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Te está esperando" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.alert-item")).ToContainTextAsync("Robin pidió apoyo");
        await Assertions.Expect(page.GetByTestId("agenda")).ToContainTextAsync("Solo para quienes acompañan");

        // The round that is open: Robin passes, and passing reads as the full answer it is.
        await Assertions.Expect(alex.RoundLine("Robin")).ToContainTextAsync("todavía no");
        var roundId = (await app.Circle(circle.CircleId).GetFacilitationAsync(circle.AlexId)).OpenRound!.RoundId;
        await app.Circle(circle.CircleId).RespondToRoundAsync(circle.RobinId, new(null, roundId, null, null, true));
        await Assertions.Expect(alex.RoundLine("Robin")).ToContainTextAsync("pasó (también es una respuesta)");
        await AxeScan.ScanAsync(page, "dashboard, Spanish, a round open", scans);

        await page.GetByRole(AriaRole.Button, new() { Name = "Terminar la ronda" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("round-summary").Locator("li").First).ToHaveTextAsync("Respondieron: menos de tres");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Empezar la ronda" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Personas" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Personas", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("En orden alfabético.")).ToBeVisibleAsync();
        await AxeScan.ScanAsync(page, "dashboard, Spanish, people", scans);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Patrones" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "El círculo como grupo" })).ToBeVisibleAsync();
        // Weekdays in Spanish, from Monday.
        await Assertions.Expect(page.Locator("ul.weekday-spread li .weekday").First).ToHaveTextAsync("Los lunes:");
        await AxeScan.ScanAsync(page, "dashboard, Spanish, patterns", scans);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Calendario y ajustes" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Cada cuánto se reúne el círculo")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sched-weekday option[value=Thursday]")).ToHaveTextAsync("jueves");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recursos de crisis" })).ToBeVisibleAsync();
        await AxeScan.ScanAsync(page, "dashboard, Spanish, schedule and settings", scans);

        // The support request reached Alex's nudges, worded in Spanish when shown.
        await page.GotoAsync("/notifications");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recordatorios", Exact = true })).ToBeVisibleAsync();
        var support = page.GetByTestId("nudges").Locator("li.nudge[data-kind=support]");
        await Assertions.Expect(support.Locator(".nudge-title")).ToHaveTextAsync("Alguien pidió apoyo");
        await Assertions.Expect(support).ToContainTextAsync("Alguien de Círculo del jueves pidió apoyo.");
        await Assertions.Expect(support).ToContainTextAsync("(tu hora)");
        await Assertions.Expect(support.GetByRole(AriaRole.Button, new() { Name = "Apartar: Alguien pidió apoyo" })).ToBeVisibleAsync();
        await AxeScan.ScanAsync(page, "nudges, Spanish", scans);

        // Robin's support button, one step to the resources.
        await robin.Page.GotoAsync($"/circles/{circle.CircleId}");
        await Assertions.Expect(robin.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(robin.Page.Locator("#support-button")).ToHaveTextAsync("Necesito apoyo ahora");
        await Person.RetryUntilAsync(async () => { if (!await robin.Page.Locator("#support-panel").IsVisibleAsync()) await robin.Page.ClickAsync("#support-button"); },
            () => robin.Page.Locator("#support-panel").IsVisibleAsync(), "the support panel");
        await Assertions.Expect(robin.Page.GetByRole(AriaRole.Heading, new() { Name = "Apoyo, ahora mismo" })).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator("#support-panel .support-told")).ToContainTextAsync("Se les avisó a las");

        AxeScan.AssertClean(scans);
    }

    private async Task<Person> OpenAsync(ViewportSize viewport)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport, timeZoneId: "UTC", locale: "es-ES");
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
