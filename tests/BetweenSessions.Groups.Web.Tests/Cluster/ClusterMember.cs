using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BetweenSessions.Groups.Web.Tests.Cluster;

/// <summary>
/// A person's app connected to one host of the cluster: REST with their bearer token, and the hub, where it keeps
/// every circleEvent it hears (by seq; a rewrite replaces).
/// </summary>
internal sealed class ClusterMember : IAsyncDisposable
{
    private HubConnection? _hub;

    private ClusterMember(string name, string email, string token)
    {
        Name = name;
        Email = email;
        Token = token;
    }

    public string Name { get; }

    public string Email { get; }

    public string Token { get; }

    public ClusterHost Host { get; private set; } = default!;

    public HttpClient Http { get; private set; } = default!;

    /// <summary>Every live event heard, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Heard { get; } = new();

    public static async Task<ClusterMember> RegisterAsync(string name, ClusterHost host)
    {
        var email = $"{name}.{Guid.NewGuid():N}@example.test";
        using var anonymous = new HttpClient { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = new { email, password = GroupsAppFixture.Password };
        (await anonymous.PostAsJsonAsync("api/identity/register", credentials)).EnsureSuccessStatusCode();
        var login = await anonymous.PostAsJsonAsync("api/identity/login", credentials);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        var member = new ClusterMember(name, email, token);
        member.UseHost(host);
        return member;
    }

    /// <summary>Talks to another host from now on (REST; the hub with <see cref="ConnectAsync"/>).</summary>
    public void UseHost(ClusterHost host)
    {
        Host = host;
        Http = new HttpClient { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>A REST client with this person's token for another host, leaving <see cref="Http"/> as it is.</summary>
    public HttpClient HttpOn(ClusterHost host)
    {
        var http = new HttpClient { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public async Task ConnectAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Host.Url, "hubs/circles"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token))
            .Build();
        _hub.ServerTimeout = TimeSpan.FromSeconds(60);
        _hub.On<JsonObject>("circleEvent", e => Heard.Enqueue(e));
        await _hub.StartAsync();
    }

    /// <summary>JoinCircle: subscribes this connection and returns the replay after <paramref name="afterSeq"/>.</summary>
    public Task<JsonObject> JoinAsync(Guid circleId, long afterSeq = 0) =>
        _hub!.InvokeAsync<JsonObject>("JoinCircle", circleId, afterSeq);

    public Task<JsonObject> InvokeAsync(string method, Guid circleId, object entry) =>
        _hub!.InvokeAsync<JsonObject>(method, circleId, entry);

    public static object CheckIn(string clientEventId, string note) =>
        new { clientEventId, capacity = "some", feelings = Array.Empty<string>(), note, visibility = "circle" };

    /// <summary>Waits until an event heard live matches.</summary>
    public async Task<JsonObject> HearsAsync(Func<JsonObject, bool> match, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < until)
        {
            if (Heard.FirstOrDefault(match) is { } heard) return heard;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} (on {Host.Name}) did not hear {what}.");
    }

    /// <summary>The circle's whole log as this person may read it, through REST, page by page.</summary>
    public async Task<List<JsonObject>> ReadLogAsync(Guid circleId)
    {
        List<JsonObject> all = [];
        long after = 0;
        while (true)
        {
            var page = (await Http.GetFromJsonAsync<JsonObject>($"api/circles/{circleId}/events?afterSeq={after}&max=500"))!;
            var events = page["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
            all.AddRange(events);
            if (events.Count == 0 || page["hasMore"]?.GetValue<bool>() != true) return all;
            after = events[^1]["seq"]!.GetValue<long>();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        Http.Dispose();
    }

    public static string? ClientEventIdOf(JsonObject e) => e["clientEventId"]?.GetValue<string>();

    public static JsonSerializerOptions Json { get; } = JsonSerializerOptions.Web;
}
