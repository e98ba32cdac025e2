using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>One person using the site in their own browser context, in the words of what they do.</summary>
public sealed partial class Person(IPage page) : IAsyncDisposable
{
    private const string Password = "a calm password 42";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public IPage Page => page;

    /// <summary>The email this person registered with.</summary>
    public string? Email { get; private set; }

    /// <param name="timeZoneId">The device's time zone (IANA), as the browser reports it; the machine's when null.</param>
    /// <param name="touch">A phone's touch screen and mobile browser, not only its width.</param>
    /// <param name="locale">The browser's language (its Accept-Language), such as "es-ES"; Chromium's own when null.</param>
    public static async Task<Person> OpenAsync(IBrowser browser, Uri baseAddress, ViewportSize? viewport = null, string? timeZoneId = null,
        bool touch = false, string? locale = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport, BaseURL = baseAddress.ToString(), TimezoneId = timeZoneId, HasTouch = touch, IsMobile = touch, Locale = locale,
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        return new Person(await context.NewPageAsync());
    }

    /// <summary>Closes this person's browser context, and with it their circuits.</summary>
    public ValueTask DisposeAsync() => page.Context.DisposeAsync();

    /// <param name="fromSubmit">Started as the form is sent, for timing what a person waits for.</param>
    public async Task RegisterAsync(string displayName, System.Diagnostics.Stopwatch? fromSubmit = null)
    {
        Email = $"{displayName.ToLowerInvariant()}.{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/account/register");
        await page.FillAsync("#displayName", displayName);
        await page.FillAsync("#email", Email);
        await page.FillAsync("#password", Password);
        fromSubmit?.Restart();
        await page.Locator("main button[type=submit]").ClickAsync();
        await ExpectUrlAsync(CirclesUrl());
        fromSubmit?.Stop();
    }

    /// <summary>The same person signed in on another device (a browser of its own).</summary>
    public async Task<Person> OnAnotherDeviceAsync(IBrowser browser, Uri baseAddress, ViewportSize? viewport = null, string? locale = null)
    {
        var other = await OpenAsync(browser, baseAddress, viewport, locale: locale);
        other.Email = Email;
        await other.SignInAsync();
        await other.ExpectUrlAsync(CirclesUrl());
        return other;
    }

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var header = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    public async Task SignInAsync(string password = Password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", Email!);
        await page.FillAsync("#password", password);
        await page.Locator("main button[type=submit]").ClickAsync();
    }

    /// <summary>Starts a circle on /circles and lands on its page; returns the circle's id.</summary>
    public async Task<Guid> StartCircleAsync(string name, System.Diagnostics.Stopwatch? fromClick = null)
    {
        await WaitUntilCirclesPageIsInteractiveAsync();
        await SetTextAsync("#circle-name", name);
        fromClick?.Restart();
        await page.ClickAsync("#create-button");
        var id = await WaitForCirclePageAsync();
        fromClick?.Stop();
        return id;
    }

    public async Task<Guid> JoinCircleAsync(string inviteCode, string displayName)
    {
        await WaitUntilCirclesPageIsInteractiveAsync();
        await SetTextAsync("#invite-code", inviteCode);
        await SetTextAsync("#join-name", displayName);
        await page.ClickAsync("#join-button");
        return await WaitForCirclePageAsync();
    }

    public async Task<string> InviteCodeAsync() =>
        (await page.Locator("[data-testid=invite-code]").InnerTextAsync()).Trim();

    /// <summary>Fills in the check-in form the way a person does, sends it and waits for the confirmation.</summary>
    public async Task CheckInAsync(string capacity, string note, string audience = "The circle")
    {
        var form = page.Locator(".checkin-form");
        await WaitUntilLiveAsync();
        await ChooseAsync(form.Locator("fieldset").Nth(0), capacity);
        await ChooseAsync(form.Locator("fieldset").Nth(1), audience);
        await SetTextAsync("#note", note);
        await form.Locator("#checkin-button").ClickAsync();
        var outcome = form.Locator(".confirmation, .form-error");
        await Assertions.Expect(outcome).ToBeVisibleAsync();
        Assert.Equal("Checked in. Thank you for sharing.", (await outcome.InnerTextAsync()).Trim());
    }

    /// <summary>The check-in with this note in this person's live feed.</summary>
    public ILocator FeedCheckIn(string note) =>
        page.Locator("ol.feed > li.feed-item[data-type=check-in]").Filter(new() { Has = page.Locator(".note", new() { HasTextString = note }) });

    public ILocator Feed => page.Locator("ol.feed > li.feed-item");

    /// <summary>Someone's entry in the circle page's People list (it says "here now" while they are present).</summary>
    public ILocator PeopleEntry(string displayName) =>
        page.GetByRole(AriaRole.List, new() { Name = "Members of this circle" }).GetByRole(AriaRole.Listitem)
            .Filter(new() { HasTextString = displayName });

    /// <summary>Closes the tab as a person does, running its unload handlers (Blazor then ends the circuit at once).</summary>
    public Task CloseTabAsync() => page.CloseAsync(new() { RunBeforeUnload = true });

    /// <summary>Marks this page, so a later check can tell it was never reloaded.</summary>
    public Task MarkPageAsync() => page.EvaluateAsync("() => { window.__bsgMark = 'still the same page'; }");

    public async Task<bool> IsSamePageAsync() =>
        await page.EvaluateAsync<string?>("() => window.__bsgMark ?? null") == "still the same page";

    /// <summary>
    /// A prerendered page ignores clicks until its circuit connects. Pressing Join with no code shows a validation
    /// message only once the page is interactive, and changes nothing, so it is safe to press until it does.
    /// </summary>
    private async Task WaitUntilCirclesPageIsInteractiveAsync()
    {
        await ExpectUrlAsync(CirclesUrl());
        await SetTextAsync("#invite-code", "");
        var message = page.Locator("p.form-error", new() { HasTextString = "invite code is required" });
        await RetryUntilAsync(() => page.ClickAsync("#join-button"), () => message.IsVisibleAsync(), "the circles page to respond");
    }

    private static Task ChooseAsync(ILocator group, string label) => MemberSide.ChooseAsync(group, label);

    /// <summary>
    /// Waits until the circle page's circuit is up. The check-in form's native controls take input from the first
    /// paint; sent before the circuit is up, a check-in waits on the device and goes out with the page's catch-up.
    /// </summary>
    public Task WaitUntilLiveAsync() =>
        page.WaitForFunctionAsync("() => window.bsg && window.bsg.connection.live && window.bsg.outbox.forms.size > 0");

    /// <summary>Types into a text field and commits it (Radzen text boxes bind on change).</summary>
    private async Task SetTextAsync(string selector, string value)
    {
        await page.FillAsync(selector, value);
        await page.DispatchEventAsync(selector, "change");
    }

    private async Task<Guid> WaitForCirclePageAsync()
    {
        await ExpectUrlAsync(CirclePageUrl());
        await Assertions.Expect(page.Locator("h2#checkin-heading")).ToBeVisibleAsync();
        return Guid.Parse(CirclePageUrl().Match(page.Url).Groups["id"].Value);
    }

    /// <summary>Acts until the page shows it took effect: a prerendered page ignores clicks until its circuit is up.</summary>
    internal static async Task RetryUntilAsync(Func<Task> act, Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            await act();
            for (var poll = 0; poll < 10; poll++)
            {
                if (await done()) return;
                await Task.Delay(100);
            }
        }
        Assert.Fail($"Timed out after {Patience.TotalSeconds} s waiting for {what}.");
    }

    /// <summary>Waits for the address to match; if it never does, fails with what the person sees instead.</summary>
    private async Task ExpectUrlAsync(Regex url)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(url);
        }
        catch (PlaywrightException)
        {
            var main = page.Locator("main");
            var seen = await main.CountAsync() > 0 ? await main.InnerTextAsync() : await page.ContentAsync();
            Assert.Fail($"Expected an address matching {url}, but the page is {page.Url} showing:\n{seen}");
        }
    }

    [GeneratedRegex("/circles$")]
    private static partial Regex CirclesUrl();

    [GeneratedRegex("/circles/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex CirclePageUrl();
}
