using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Where something takes a moment (the server is slow today, the network is a train's), the person sees that it is
/// on its way and cannot send it twice: the button says what it is doing, and a status says it to a screen reader.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed partial class ProgressBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Signing_up_on_a_slow_connection_says_it_is_on_its_way_and_a_second_press_sends_nothing_more()
    {
        var sam = await OpenAsync();
        var page = sam.Page;
        await page.GotoAsync("/account/register");
        await page.FillAsync("#displayName", "Sam");
        await page.FillAsync("#email", $"sam.{Guid.NewGuid():N}@example.test");
        await page.FillAsync("#password", "a calm long password");

        // The answer takes two seconds, as on a weak signal; every post is counted.
        var posts = 0;
        await page.RouteAsync("**/account/register", async route =>
        {
            if (route.Request.Method == "POST")
            {
                Interlocked.Increment(ref posts);
                await Task.Delay(2000);
            }
            await route.ContinueAsync();
        });
        // What the form shows while it waits is kept where the next page can read it; a second press comes while
        // the first is still on its way.
        await page.EvaluateAsync("""
            () => {
                const form = document.querySelector('main form'), button = form.querySelector('button[type=submit]');
                const seen = [];
                new MutationObserver(() => {
                    seen.push({ text: button.textContent.trim(), busy: button.getAttribute('aria-busy') ?? '',
                                status: form.querySelector('[role=status]')?.textContent ?? '' });
                    sessionStorage.setItem('seen', JSON.stringify(seen));
                }).observe(form, { subtree: true, childList: true, attributes: true, characterData: true });
                form.addEventListener('submit', () => setTimeout(() => button.click(), 300), { once: true });
            }
            """);
        await page.Locator("main button[type=submit]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page).ToHaveURLAsync(CirclesPage());
        var seen = await page.EvaluateAsync<FormState[]>("() => JSON.parse(sessionStorage.getItem('seen') ?? '[]')");
        Assert.Contains(seen, s => s is { Text: "Creating your account…", Busy: "true", Status: "Creating your account…" });
        Assert.Equal(1, Volatile.Read(ref posts));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("My circles");
    }

    private sealed class FormState
    {
        public string Text { get; set; } = "";
        public string Busy { get; set; } = "";
        public string Status { get; set; } = "";
    }

    [Fact]
    public async Task Starting_a_circle_shows_it_is_on_its_way_until_the_circle_page_opens()
    {
        var alex = await OpenAsync();
        await alex.RegisterAsync("Alex");
        // Every state the button goes through, as the person would have seen it.
        await alex.Page.EvaluateAsync("""
            () => {
                window.seen = [];
                const record = () => { const b = document.getElementById('create-button'); if (b) window.seen.push({ text: b.textContent.trim(), disabled: b.disabled }); };
                new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            }
            """);
        await alex.StartCircleAsync("Monday circle");

        var seen = await alex.Page.EvaluateAsync<ButtonState[]>("() => window.seen");
        Assert.Contains(seen, s => s.Text.EndsWith("Starting the circle…", StringComparison.Ordinal) && s.Disabled);
    }

    private sealed class ButtonState
    {
        public string Text { get; set; } = "";
        public bool Disabled { get; set; }
    }

    [GeneratedRegex(@"/circles$")]
    private static partial Regex CirclesPage();

    private async Task<Person> OpenAsync()
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, touch: true);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
