using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Api;

/// <summary>
/// What a phone fetches to install the app: the manifest and every icon it names at the size it says, the
/// apple-touch-icon iOS asks for, and a service worker the browser re-checks at every visit.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class AppShellTests(GroupsAppFixture app)
{
    [Fact]
    public async Task The_manifest_names_icons_that_exist_at_the_sizes_it_says_including_a_maskable_one()
    {
        using var anonymous = app.Anonymous();

        var response = await anonymous.GetAsync("/manifest.webmanifest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = manifest.RootElement;
        Assert.Equal("/circles", root.GetProperty("start_url").GetString());
        Assert.Equal("standalone", root.GetProperty("display").GetString());
        var sizes = new List<(string Size, string Purpose)>();
        foreach (var icon in root.GetProperty("icons").EnumerateArray())
        {
            var (src, size, purpose) = (icon.GetProperty("src").GetString()!, icon.GetProperty("sizes").GetString()!, icon.GetProperty("purpose").GetString()!);
            var image = await anonymous.GetAsync(src);
            Assert.True(image.StatusCode == HttpStatusCode.OK, $"{src}: {(int)image.StatusCode}");
            Assert.Equal(icon.GetProperty("type").GetString(), image.Content.Headers.ContentType?.MediaType);
            if (size != "any") Assert.Equal(size, PngSize(await image.Content.ReadAsByteArrayAsync()));
            sizes.Add((size, purpose));
        }
        Assert.Contains(("192x192", "any"), sizes);
        Assert.Contains(("512x512", "any"), sizes);
        Assert.Contains(("512x512", "maskable"), sizes);

        var appleTouchIcon = await anonymous.GetAsync("/icons/apple-touch-icon.png");
        Assert.Equal(HttpStatusCode.OK, appleTouchIcon.StatusCode);
        Assert.Equal("180x180", PngSize(await appleTouchIcon.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task The_service_worker_is_revalidated_at_every_visit_and_names_this_releases_cache()
    {
        using var anonymous = app.Anonymous();

        var response = await anonymous.GetAsync("/sw.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache, "A cached /sw.js would hide a new release from phones.");
        var script = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("%RELEASE%", script);
        Assert.Matches("const release = '[0-9a-f]{16}';", script);
        // A worker whose imported script is missing fails to install: no offline page and no notifications.
        Assert.Contains("\nimportScripts('/sw-push.js');", script);
        var push = await anonymous.GetAsync("/sw-push.js");
        Assert.Equal(HttpStatusCode.OK, push.StatusCode);
        Assert.Contains("addEventListener('push'", await push.Content.ReadAsStringAsync());
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A PNG's width and height, from its header, as a manifest writes them.</summary>
    private static string PngSize(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(PngSignature), "not a PNG");
        return $"{BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16))}x{BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20))}";
    }
}
