using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Benchmarks;

/// <summary>
/// Benchmark mode (build/bench.sh) adds a seeding endpoint that creates signed-in people, a memory probe and a bare
/// hub that skips the circles' rules. None of it may exist in an app configured as shipped.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class BenchmarkModeOffByDefaultTests(GroupsAppFixture app)
{
    [Theory]
    [InlineData("POST", "/bench/seed")]
    [InlineData("POST", "/bench/memory")]
    [InlineData("POST", "/bench/stats")]
    [InlineData("GET", "/bench/server")]
    [InlineData("POST", "/hubs/bench/negotiate?negotiateVersion=1")]
    public async Task The_benchmark_endpoints_and_bare_hub_do_not_exist_even_for_a_signed_in_person(string method, string path)
    {
        var person = await app.RegisterAsync("kim");

        foreach (var client in new[] { app.Anonymous(), person.Http })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST") request.Content = JsonContent.Create(new { circles = 1, membersPerCircle = 1 });
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void The_shipped_settings_leave_benchmark_mode_off()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "BetweenSessions.Groups.Web"), "appsettings*.json"))
            Assert.DoesNotContain("Benchmarks", File.ReadAllText(file));
    }
}
