using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

using static BetweenSessions.Groups.Web.Tests.Performance.Figures;

namespace BetweenSessions.Groups.Web.Tests.Performance;

/// <summary>
/// What a new person waits for (docs/performance.md, "First steps"): signing up, starting a circle, opening its
/// dashboard, each measured from the click to the working page in the browser, with the server's own part (ASP.NET
/// Core's request duration for the sign-up post, the dashboard's data load) and the password hash alone. Reports
/// figures; asserts only what the person would see. The server figures are the whole process's: run it alone, as
/// here, or requests of tests running beside it mix in:
/// dotnet test tests/BetweenSessions.Groups.Web.Tests -c Release --filter "FullyQualifiedName~FirstStepsPerformanceTests" --logger "console;verbosity=detailed"
/// </summary>
[Collection(GroupsAppCollection.Name)]
[Trait("Category", "Performance")]
public sealed class FirstStepsPerformanceTests(GroupsAppFixture app, BrowserFixture browsers, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const int People = 6; // the first warms the app up and is reported apart
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Signing_up_starting_a_circle_and_opening_its_dashboard_each_end_on_a_working_page()
    {
        var serverPosts = new ConcurrentQueue<double>();
        var requests = new ConcurrentQueue<(string Request, double Ms)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Name: "http.server.request.duration", Meter.Name: "Microsoft.AspNetCore.Hosting" }) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            string? route = null, method = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route") route = tag.Value as string;
                if (tag.Key == "http.request.method") method = tag.Value as string;
            }
            if (method == "POST" && route == "/account/register") serverPosts.Enqueue(seconds * 1000);
            requests.Enqueue(($"{method} {route ?? "(static file)"}", seconds * 1000));
        });
        listener.Start();

        var runs = new List<(double SignUp, double Create, double Dashboard, double DashboardData)>();
        for (var i = 0; i < People; i++)
        {
            var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress);
            _people.Add(person);
            var signUp = new Stopwatch();
            await person.RegisterAsync($"Fay{i}", signUp);
            var create = new Stopwatch();
            await person.StartCircleAsync($"Circle {i}", create);
            var dashboard = Stopwatch.StartNew();
            await person.OpenDashboardAsync();
            dashboard.Stop();
            var data = double.Parse((await person.Dashboard().GetAttributeAsync("data-load-ms"))!);
            runs.Add((signUp.Elapsed.TotalMilliseconds, create.Elapsed.TotalMilliseconds, dashboard.Elapsed.TotalMilliseconds, data));
            output.WriteLine($"{(i == 0 ? "first" : $"person {i}")}: sign-up {signUp.ElapsedMilliseconds} ms, start a circle {create.ElapsedMilliseconds} ms, " +
                             $"open its dashboard {dashboard.ElapsedMilliseconds} ms (its data {data:F0} ms)");
            // What the person sees: their circle's dashboard, with nobody waiting and the session part open.
            await Assertions.Expect(person.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Facilitating Circle {i}");
        }
        listener.Dispose();

        using var scope = app.Services.CreateScope();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<GroupsUser>>();
        var hashes = Enumerable.Range(0, 5).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            hasher.HashPassword(new GroupsUser(), GroupsAppFixture.Password);
            return watch.Elapsed.TotalMilliseconds;
        }).ToList();

        var later = runs.Skip(1).ToList();
        var posts = serverPosts.ToList();
        output.WriteLine($"Median of {later.Count} after the first: sign-up {Median(later.Select(r => r.SignUp)):F0} ms " +
                         $"(server {Median(posts.Skip(1)):F0} ms, of which one password hash {Median(hashes):F0} ms), " +
                         $"start a circle {Median(later.Select(r => r.Create)):F0} ms, open the dashboard {Median(later.Select(r => r.Dashboard)):F0} ms " +
                         $"(server data {Median(later.Select(r => r.DashboardData)):F0} ms).");
        output.WriteLine($"First: sign-up server {posts.FirstOrDefault():F0} ms. Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        foreach (var kind in requests.GroupBy(r => r.Request).OrderByDescending(g => g.Sum(r => r.Ms)).Take(8))
            output.WriteLine($"  server, {kind.Key}: {kind.Count()} requests, median {Median(kind.Select(r => r.Ms)):F1} ms, max {kind.Max(r => r.Ms):F0} ms");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
