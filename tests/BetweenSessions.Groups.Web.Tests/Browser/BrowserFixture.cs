using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (never `playwright install`). Without chromium the browser tests skip,
/// unless BSG_REQUIRE_BROWSER=1 says they must run.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _missing;
    private string? _chromium;

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("BSG_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            _missing = $"chromium is not installed at {chromium} (apt-get install chromium, or set BSG_CHROMIUM).";
            return;
        }
        _chromium = chromium;
        Assertions.SetDefaultExpectTimeout(30_000); // generous: two browsers and the app share two cores
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ChromiumArgs,
        });
    }

    /// <summary>The browser, or a skip (a failure with BSG_REQUIRE_BROWSER=1) when chromium is missing.</summary>
    public IBrowser Browser
    {
        get
        {
            if (_missing is not null)
            {
                if (Environment.GetEnvironmentVariable("BSG_REQUIRE_BROWSER") is "1" or "true") Assert.Fail(_missing);
                Assert.Skip(_missing + " Set BSG_REQUIRE_BROWSER=1 to fail instead.");
            }
            return _browser!;
        }
    }

    /// <summary>
    /// A second chromium on a profile folder of its own, not an incognito context as <see cref="IBrowser.NewContextAsync"/>
    /// gives: some things a phone's browser does (offering to install the app) are never offered in incognito.
    /// </summary>
    public async Task<IBrowserContext> LaunchProfileAsync(string userDataDir, Uri baseAddress)
    {
        _ = Browser; // the same skip or failure when chromium is missing
        return await _playwright!.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = _chromium, Headless = true, Args = ChromiumArgs, BaseURL = baseAddress.ToString(),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
