using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// A person whose browser asks for Spanish reads Spanish; the language they choose in Settings follows them to
/// another device, whatever that browser asks for.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class LanguageBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_spanish_browser_reads_spanish_and_a_chosen_language_follows_the_person_to_another_device()
    {
        var lucia = await OpenAsync("es-ES");
        var page = lucia.Page;
        var scans = new Dictionary<string, IReadOnlyList<string>>();

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Entre sesiones, en compañía" })).ToBeVisibleAsync();
        var header = page.GetByRole(AriaRole.Navigation, new() { Name = "Principal" });
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Crear una cuenta" })).ToBeVisibleAsync();
        await AxeScan.ScanAsync(page, "home, Spanish", scans);

        await lucia.RegisterAsync("Lucia");
        await page.GotoAsync("/settings");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ajustes", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Pausar todos los recordatorios" })).ToBeVisibleAsync();
        var language = page.GetByLabel("El idioma de la app");
        await Assertions.Expect(language).ToHaveValueAsync("");
        await AxeScan.ScanAsync(page, "settings, Spanish", scans);

        // Chosen once, on this phone: the page loads again in English.
        await language.SelectOptionAsync("en");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("The language of the app")).ToHaveValueAsync("en");

        // Another device whose browser also asks for Spanish: once signed in, it is English there too.
        var laptop = await lucia.OnAnotherDeviceAsync(browsers.Browser, app.BaseAddress, locale: "es-ES");
        _people.Add(laptop);
        await laptop.Page.GotoAsync("/");
        await Assertions.Expect(laptop.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(laptop.Page.GetByRole(AriaRole.Heading, new() { Name = "Between sessions, together" })).ToBeVisibleAsync();
        await Assertions.Expect(laptop.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })
            .GetByRole(AriaRole.Link, new() { Name = "Settings" })).ToBeVisibleAsync();
        await AxeScan.ScanAsync(laptop.Page, "home, English by choice", scans);

        // Back to following the browser: Spanish again on the next page.
        await laptop.Page.GotoAsync("/settings");
        await laptop.Page.GetByLabel("The language of the app").SelectOptionAsync("");
        await Assertions.Expect(laptop.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(laptop.Page.GetByRole(AriaRole.Heading, new() { Name = "Ajustes", Exact = true })).ToBeVisibleAsync();

        AxeScan.AssertClean(scans);
    }

    [Fact]
    public async Task The_offline_page_kept_on_the_phone_speaks_the_language_the_app_was_last_shown_in()
    {
        var scans = new Dictionary<string, IReadOnlyList<string>>();
        var marta = await OpenAsync("es-MX");
        await marta.Page.GotoAsync("/");
        await Assertions.Expect(marta.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        // The page the worker shows without a connection, fetched here directly: it holds no words of its own.
        await marta.Page.GotoAsync("/offline.html");
        await Assertions.Expect(marta.Page.GetByRole(AriaRole.Heading, new() { Name = "Ahora no tienes conexión" })).ToBeVisibleAsync();
        await Assertions.Expect(marta.Page.GetByRole(AriaRole.Button, new() { Name = "Intentar de nuevo" })).ToBeVisibleAsync();
        await Assertions.Expect(marta.Page.Locator("main")).ToContainTextAsync("Lo que escribiste en este teléfono se queda aquí");
        await Assertions.Expect(marta.Page).ToHaveTitleAsync("Sin conexión · BetweenSessions");
        await Assertions.Expect(marta.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await AxeScan.ScanAsync(marta.Page, "offline page, Spanish", scans);

        // A browser asking for Spanish, last used by someone who reads English: the page follows the app, not the browser.
        await marta.Page.EvaluateAsync("() => localStorage.setItem('bsg-lang', 'en')");
        await marta.Page.ReloadAsync();
        await Assertions.Expect(marta.Page.GetByRole(AriaRole.Heading, new() { Name = "You're offline right now" })).ToBeVisibleAsync();
        await Assertions.Expect(marta.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        AxeScan.AssertClean(scans);
    }

    private async Task<Person> OpenAsync(string locale)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, locale: locale);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
