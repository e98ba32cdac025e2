using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BetweenSessions.Groups.Web.Tests.Cluster;

/// <summary>The app with the Orleans Dashboard turned on, one operator account named, and an OTLP endpoint.</summary>
public sealed class OperatorAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, dashboard for operators";

    public string OperatorEmail { get; } = $"operator.{Guid.NewGuid():N}@example.test";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cluster:Dashboard"] = "true",
        ["Cluster:Operators:0"] = OperatorEmail,
        // Nothing listens there; the exporter retries quietly, and the test only looks at what was set up.
        ["OpenTelemetry:Endpoint"] = "http://127.0.0.1:9",
    };
}

[CollectionDefinition(OperatorAppFixture.Collection)]
public sealed class OperatorAppCollection : ICollectionFixture<OperatorAppFixture>;

/// <summary>
/// Operators see the cluster; members and facilitators never do. The dashboard shows grains and their calls, so it is
/// off unless turned on, and then for the named operators only.
/// </summary>
[Collection(OperatorAppFixture.Collection)]
public sealed class OperatorsTests(OperatorAppFixture app)
{
    [Fact]
    public async Task Only_a_named_operator_opens_the_cluster_dashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = NoRedirects(null);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("cluster/dashboard/", ct)).StatusCode);

        var member = await app.RegisterAsync("mira");
        await member.CreateCircleAsync("Her own circle");
        using var asMember = NoRedirects(member.Token);
        var refused = await asMember.GetAsync("cluster/dashboard/", ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var asOperator = NoRedirects(await OperatorTokenAsync(ct));
        var dashboard = await asOperator.GetAsync("cluster/dashboard/", ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("text/html", dashboard.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_says_this_host_is_an_active_member_of_its_cluster()
    {
        using var anonymous = NoRedirects(null);
        var health = await anonymous.GetAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Telemetry_is_set_up_where_an_endpoint_is_configured()
    {
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }

    private async Task<string> OperatorTokenAsync(CancellationToken ct)
    {
        using var http = app.Anonymous();
        var credentials = new { email = app.OperatorEmail, password = GroupsAppFixture.Password };
        (await http.PostAsJsonAsync("/api/identity/register", credentials, ct)).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/api/identity/login", credentials, ct);
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(ct))!["accessToken"]!.GetValue<string>();
    }

    private HttpClient NoRedirects(string? token)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

/// <summary>Without Cluster:Dashboard the dashboard does not exist at all; without an endpoint, no telemetry.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class DashboardOffByDefaultTests(GroupsAppFixture app)
{
    [Fact]
    public void No_telemetry_leaves_the_host_unless_an_endpoint_is_configured()
    {
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task There_is_no_cluster_dashboard_unless_it_is_turned_on()
    {
        var member = await app.RegisterAsync("noor");
        var response = await member.Http.GetAsync("cluster/dashboard", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
