using System.Text.Json;
using BetweenSessions.Groups.Web.Shell;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A member puts the app on their phone's home screen. Chromium finds nothing in the way of installing it. With the
/// server out of reach the phone shows a calm offline page at the address they asked for, not the browser's error
/// and not an earlier copy of their circle; it comes back by itself when the app answers. The worker's cache holds
/// only what is the same for everybody, and a new release replaces it.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class InstallableAppBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task Chromium_finds_a_valid_manifest_and_nothing_in_the_way_of_installing_the_app()
    {
        // A profile of its own, as a phone's browser has: Chromium offers to install nothing in an incognito context.
        var profile = Directory.CreateTempSubdirectory("bsg-profile-");
        var browser = await browsers.LaunchProfileAsync(profile.FullName, app.BaseAddress);
        try
        {
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();

            // The manifest's start_url: a signed-out visitor is sent to sign in.
            await page.GotoAsync("/circles");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
            await WaitUntilTheWorkerControlsAsync(page);
            // Started from the home screen, through the worker now: the redirect to sign in still reaches the page.
            await page.GotoAsync("/circles");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
            await Assertions.Expect(page.Locator("#email")).ToBeVisibleAsync();

            var cdp = await page.Context.NewCDPSessionAsync(page);
            var manifest = (await cdp.SendAsync("Page.getAppManifest"))!.Value;
            Assert.EndsWith("/manifest.webmanifest", manifest.GetProperty("url").GetString());
            Assert.True(manifest.GetProperty("errors").GetArrayLength() == 0, $"The manifest has errors: {manifest.GetProperty("errors")}");
            var installability = (await cdp.SendAsync("Page.getInstallabilityErrors"))!.Value.GetProperty("installabilityErrors");
            Assert.True(installability.GetArrayLength() == 0, $"Chromium would not offer to install the app: {installability}");

            using var parsed = JsonDocument.Parse(manifest.GetProperty("data").GetString()!);
            Assert.Equal("/circles", parsed.RootElement.GetProperty("start_url").GetString());
            Assert.Equal("standalone", parsed.RootElement.GetProperty("display").GetString());
        }
        finally
        {
            await browser.DisposeAsync();
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task With_the_server_stopped_the_phone_shows_the_offline_page_and_returns_by_itself_to_the_new_release()
    {
        var dataFolder = Directory.CreateTempSubdirectory("bsg-shell-").FullName;
        try
        {
            var first = new ReleasedApp(dataFolder, "first-release");
            _owned.Add(first);
            await first.InitializeAsync();
            await using var proxy = new CuttableProxy(first.BaseAddress);
            var robin = await OpenAsync(proxy.Address, Phone);
            var page = robin.Page;
            await robin.RegisterAsync("Robin");
            await robin.StartCircleAsync("Sunday morning");
            const string note = "Only my circle should ever read this line.";
            await robin.CheckInAsync("Some capacity", note);
            var circlePage = page.Url;
            await WaitUntilTheWorkerControlsAsync(page);

            // Only the shell of everybody's app is kept: no page, no API answer, nothing Robin wrote or is called.
            var cached = await CachedAsync(page, note, "Robin");
            Assert.All(cached, entry => Assert.Equal("bsg-shell-first-release", entry.Cache));
            Assert.Contains(cached, entry => entry.Path == "/offline.html");
            Assert.Contains(cached, entry => entry.Path == "/_framework/blazor.web.js");
            // Static files, and the deployment's crisis resources and the words for the offline page: the same for everybody.
            Assert.All(cached.Where(entry => entry.Path is not ("/offline/crisis-resources.json" or "/offline/words.json")),
                entry => Assert.Matches(@"\.(css|js|svg|png|woff2|webmanifest|html)(\?|$)", entry.Path));
            Assert.Contains(cached, entry => entry.Path == "/offline/crisis-resources.json");
            Assert.Contains(cached, entry => entry.Path == "/offline/words.json");
            Assert.DoesNotContain(cached, entry => entry.Path.Contains("/circles") || entry.Path.StartsWith("/api") || entry.Path == "/");
            Assert.DoesNotContain(cached, entry => entry.Personal);

            // The server goes away: the circle page's address shows the offline page, not the browser's error and not
            // an earlier copy of the circle.
            proxy.Cut();
            await first.DisposeAsync();
            _owned.Remove(first);
            await page.GotoAsync(circlePage);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You're offline right now" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Anything you wrote on this phone stays here and goes to your circle when you're back.");
            Assert.Equal(circlePage, page.Url);
            // Someone who needs support now still reaches it in one step: a phone call needs no connection to the app.
            var support = page.GetByRole(AriaRole.Region, new() { Name = "If you need support now" });
            await Assertions.Expect(support.GetByRole(AriaRole.Link, new() { Name = "Call 112" })).ToHaveAttributeAsync("href", "tel:112");
            await Assertions.Expect(support).ToContainTextAsync("Find a helpline");
            await Assertions.Expect(page).ToHaveTitleAsync("Offline · BetweenSessions");
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            Assert.DoesNotContain(note, await page.ContentAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                "The offline page scrolls sideways on a 390px phone.");
            Assert.Empty(await AxeScan.SeriousViolationsAsync(page));

            // By keyboard: the one control, and it says what it found.
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Still no connection. This page keeps trying by itself.");

            // A new release starts on the same data; without anyone touching the phone, Robin's circle is back.
            var second = new ReleasedApp(dataFolder, "second-release");
            _owned.Add(second);
            await second.InitializeAsync();
            proxy.Restore(second.BaseAddress);
            await Assertions.Expect(robin.FeedCheckIn(note)).ToHaveCountAsync(1);
            Assert.Equal(circlePage, page.Url);

            // The new release's worker took over and the first release's cache is gone.
            // Polled from here: WaitForFunctionAsync takes the promise an async check returns for a yes.
            await Person.RetryUntilAsync(() => Task.CompletedTask, () => page.EvaluateAsync<bool>("""
                async () => {
                    const names = await caches.keys();
                    return names.length === 1 && names[0] === 'bsg-shell-second-release'
                        && (await caches.match('/offline.html')) !== undefined;
                }
                """), "the second release's worker to replace the first release's cache");
        }
        finally
        {
            foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
            _owned.Clear();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task When_the_proxy_in_front_says_the_app_is_down_the_phone_shows_the_offline_page_not_the_proxys_error()
    {
        // An app of its own, like the release test: behind the collection's shared app, used by every test before it,
        // the worker never took control of this page in a full CI run, though it always did when the class ran alone.
        var dataFolder = Directory.CreateTempSubdirectory("bsg-shell-").FullName;
        try
        {
            var own = new ReleasedApp(dataFolder, "behind-nginx");
            _owned.Add(own);
            await own.InitializeAsync();
            await using var badGateway = new BadGateway();
            await using var proxy = new CuttableProxy(own.BaseAddress);
            var sam = await OpenAsync(proxy.Address, Phone);
            var page = sam.Page;
            await sam.RegisterAsync("Sam");
            await WaitUntilTheWorkerControlsAsync(page);

            // nginx in front, the app behind it down: every request is answered 502.
            proxy.Cut();
            proxy.Restore(badGateway.Address);
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You're offline right now" })).ToBeVisibleAsync();
            Assert.DoesNotContain("Bad Gateway", await page.ContentAsync());

            proxy.Cut();
            proxy.Restore(own.BaseAddress);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My circles" })).ToBeVisibleAsync();
        }
        finally
        {
            foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
            _owned.Clear();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Registered once the page has loaded; installed, activated and claiming the page after that. Installing fetches
    /// the whole shell first, which on a loaded CI machine has taken longer than the default 30 s; and in full runs the
    /// worker has now and then not taken the page at all within two minutes. A person opening the app again is what
    /// gets a phone there (a page loaded under an active worker is its from the start, and loading registers the worker
    /// again if installing failed), so after a while the page is loaded again, as they would.
    /// </summary>
    private static async Task WaitUntilTheWorkerControlsAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 45_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                await page.ReloadAsync();
            }
        }
    }

    private sealed record CachedEntry(string Cache, string Path, bool Personal);

    /// <summary>Everything in the page's caches, and whether its text holds any of the given words.</summary>
    private static async Task<CachedEntry[]> CachedAsync(IPage page, params string[] personal)
    {
        var json = await page.EvaluateAsync<string>("""
            async personal => {
                const found = [];
                for (const name of await caches.keys()) {
                    const cache = await caches.open(name);
                    for (const request of await cache.keys()) {
                        const url = new URL(request.url);
                        const text = await (await cache.match(request)).text();
                        found.push({ cache: name, path: url.pathname + url.search, personal: personal.some(word => text.includes(word)) });
                    }
                }
                return JSON.stringify(found);
            }
            """, personal);
        return JsonSerializer.Deserialize<CachedEntry[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private async Task<Person> OpenAsync(Uri address, ViewportSize? viewport = null)
    {
        var person = await Person.OpenAsync(browsers.Browser, address, viewport);
        _owned.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
    }

    /// <summary>What nginx answers for an app that is down: 502 with its own error page, to every request.</summary>
    private sealed class BadGateway : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _answering;

        public BadGateway()
        {
            _listener.Start();
            _answering = AnswerAsync();
        }

        public Uri Address => new($"http://localhost:{((System.Net.IPEndPoint)_listener.LocalEndpoint).Port}");

        private async Task AnswerAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                System.Net.Sockets.TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) when (_stop.IsCancellationRequested) { return; }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            var request = new List<byte>();
                            var buffer = new byte[4096];
                            while (!System.Text.Encoding.ASCII.GetString([.. request]).Contains("\r\n\r\n"))
                            {
                                var read = await stream.ReadAsync(buffer, _stop.Token);
                                if (read == 0) return;
                                request.AddRange(buffer.AsSpan(0, read));
                            }
                            const string body = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
                            var response = $"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(response), _stop.Token);
                        }
                        catch (Exception) { /* the browser hung up */ }
                    }
                });
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _answering;
            _stop.Dispose();
        }
    }

    /// <summary>The app on a data folder it leaves behind, as one release: its worker's cache carries this name.</summary>
    private sealed class ReleasedApp(string dataFolder, string release) : GroupsAppFixture(dataFolder, ownsDataFolder: false)
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(new ShellRelease(release));
    }
}
