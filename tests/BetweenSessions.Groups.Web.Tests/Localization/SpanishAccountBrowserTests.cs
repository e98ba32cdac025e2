using System.Text.RegularExpressions;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Accounts;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Email;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// Lucía's browser asks for Spanish: she creates her account, reads sign-in security and who opened what in Spanish
/// (dates too), and when she forgets her password the page, the email and the way back are Spanish; axe-clean, with
/// lang="es". Someone who chose Spanish in Settings gets the email in Spanish even from an English browser.
/// </summary>
[Collection(EmailAppFixture.Collection)]
public sealed partial class SpanishAccountBrowserTests(EmailAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_spanish_browser_creates_an_account_signs_in_and_gets_its_password_back_in_spanish()
    {
        app.Smtp.Require();
        var scans = new Dictionary<string, IReadOnlyList<string>>();
        var lucia = await OpenAsync("es-ES");
        var page = lucia.Page;

        await page.GotoAsync("/account/register");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Crea tu cuenta");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".validation-message").First).ToHaveTextAsync("Falta completar esto.");
        await AxeScan.ScanAsync(page, "create an account, nothing typed, Spanish", scans);

        await lucia.RegisterAsync("Lucia");
        await page.GotoAsync("/settings/security");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Seguridad al entrar");
        await Assertions.Expect(page.Locator("#start-authenticator")).ToHaveTextAsync("Configurar una app de autenticación");
        await Assertions.Expect(page.Locator("#add-passkey")).ToHaveTextAsync("Añadir una llave de acceso");
        await AxeScan.ScanAsync(page, "sign-in security, Spanish", scans);

        await page.GotoAsync("/settings/access-log");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Quién abrió qué");
        var signIns = page.GetByTestId("sign-ins");
        await Assertions.Expect(signIns).ToContainTextAsync("Entraste a tu cuenta");
        // The day in Spanish ("dom. 6 de dic., 17:40"), in her time zone.
        await Assertions.Expect(signIns.Locator("time").First).ToHaveTextAsync(SpanishDay());
        await Assertions.Expect(page.GetByTestId("about-me-empty")).ToHaveTextAsync("Nadie ha abierto nada tuyo todavía.");
        await AxeScan.ScanAsync(page, "who opened what, Spanish", scans);

        // On another phone, signed out: a wrong password, then the way back by email.
        var other = await OpenAsync("es-MX");
        page = other.Page;
        await page.GotoAsync("/account/login");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await page.FillAsync("#email", lucia.Email!);
        await page.FillAsync("#password", "no es la contraseña");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToHaveTextAsync("Ese correo y esa contraseña no coinciden con ninguna cuenta.");
        await AxeScan.ScanAsync(page, "sign in, a wrong password, Spanish", scans);

        await page.GetByRole(AriaRole.Link, new() { Name = "¿Olvidaste tu contraseña?" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("¿Olvidaste tu contraseña?");
        await page.FillAsync("#email", lucia.Email!);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reset-sent")).ToContainTextAsync("Si hay una cuenta con esa dirección");
        await AxeScan.ScanAsync(page, "forgot password, sent, Spanish", scans);

        var email = Assert.Single(await app.Smtp.WaitForAsync(lucia.Email!, 1));
        Assert.Equal("Elige una contraseña nueva", email.Subject);
        Assert.Equal("es", email.Headers.GetValueOrDefault("Content-Language"));
        Assert.Contains("Este enlace funciona una vez, durante un día", email.Text);

        await page.GotoAsync(AccountEmailLinks.OnApp(email, app.BaseAddress));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Elige una contraseña nueva");
        await page.FillAsync("#password", "corta");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".validation-message")).ToHaveTextAsync("La contraseña necesita al menos 8 caracteres (y como mucho 128).");
        await AxeScan.ScanAsync(page, "choose a new password, too short, Spanish", scans);
        await page.FillAsync("#password", "una contraseña nueva y tranquila");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?reason=reset"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync(new Regex("^Tu contraseña nueva está lista"));
        await AxeScan.ScanAsync(page, "sign in after a new password, Spanish", scans);

        AxeScan.AssertClean(scans);
    }

    [Fact]
    public async Task A_person_who_chose_spanish_gets_the_reset_email_in_spanish_from_an_english_browser()
    {
        app.Smtp.Require();
        var member = await app.CreateMemberAsync("Pilar");
        await app.Grains.GetGrain<IMemberSettingsGrain>(member.Id).SetLanguageAsync("es");
        var person = await OpenAsync("en-US");
        await person.Page.GotoAsync("/account/forgot-password");
        await Assertions.Expect(person.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await person.Page.FillAsync("#email", member.Email);
        await person.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(person.Page.GetByTestId("reset-sent")).ToContainTextAsync("If there is an account for that address");

        var email = Assert.Single(await app.Smtp.WaitForAsync(member.Email, 1));
        Assert.Equal("Elige una contraseña nueva", email.Subject);
        Assert.Equal("es", email.Headers.GetValueOrDefault("Content-Language"));
    }

    [GeneratedRegex(@"^(lun|mar|mié|jue|vie|sáb|dom)\.? \d{1,2} de [a-z]+\.?, \d{2}:\d{2}$")]
    private static partial Regex SpanishDay();

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
