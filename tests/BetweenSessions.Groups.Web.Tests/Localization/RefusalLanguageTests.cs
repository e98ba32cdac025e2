using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Localization;
using BetweenSessions.Groups.Web.Tests.Hub;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// What the server says to an app outside any page, in the person's language: hub refusals (the HubException text a
/// phone app shows) and ProblemDetails, whether the rule is checked in the hub, in the domain or in a grain. The
/// machine-readable names (fields, event types, capacities) stay English.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class RefusalLanguageTests(GroupsAppFixture app)
{
    private static string Refusal(JsonObject completion) =>
        ((string?)completion["error"] ?? "").Split("HubException: ").Last();

    private async Task<RawHubConnection> ConnectAsync(TestUser user, string language)
    {
        var (connection, refused) = await RawHubConnection.OpenAsync(app.BaseAddress, user.Token, language: language);
        Assert.Null(refused);
        Assert.Null((await connection!.HandshakeAsync())["error"]);
        return connection;
    }

    [Fact]
    public async Task A_phone_app_asking_for_Spanish_is_refused_in_Spanish_by_the_hub_the_rules_and_the_grain()
    {
        var ana = await app.RegisterAsync("ana-es");
        var circle = await ana.CreateCircleAsync("Martes");
        await using var hub = await ConnectAsync(ana, "es-MX,es;q=0.9");

        var badId = await hub.InvokeAsync("1", "CheckIn", "not-a-guid", new JsonObject());
        Assert.Equal("circleId tiene que ser el id del círculo, un GUID en texto.", Refusal(badId));

        var empty = await hub.InvokeAsync("2", "CheckIn", circle.CircleId.ToString(), new JsonObject());
        Assert.Equal("Falta la energía. La visibilidad tiene que ser \"circle\", \"facilitators\" o \"private\".", Refusal(empty));

        var noRound = await hub.InvokeAsync("3", "EndRound", circle.CircleId.ToString(), new JsonObject { ["roundId"] = Guid.NewGuid().ToString() });
        Assert.Equal("Esa ronda no está abierta; puede que ya haya terminado.", Refusal(noRound));

        // The connection stays up, and the same connection still stores what is right.
        var stored = await hub.InvokeAsync("4", "CheckIn", circle.CircleId.ToString(),
            new JsonObject { ["capacity"] = "resting", ["visibility"] = "circle" });
        Assert.Null(stored["error"]);
    }

    [Fact]
    public async Task The_language_chosen_in_Settings_wins_over_what_the_app_asks_for_even_on_a_connection_already_open()
    {
        var bea = await app.RegisterAsync("bea-es");
        var circle = await bea.CreateCircleAsync("Jueves");
        await using var hub = await ConnectAsync(bea, "en-US");
        var english = await hub.InvokeAsync("1", "ShareWin", circle.CircleId.ToString(), new JsonObject { ["visibility"] = "circle" });
        Assert.Equal("The win is required.", Refusal(english));

        var memberId = (await bea.CircleAsync(circle.CircleId)).Members.Single().MemberId;
        await app.Services.GetRequiredService<PersonCulture>().ChooseAsync(memberId, "es");

        var spanish = await hub.InvokeAsync("2", "ShareWin", circle.CircleId.ToString(), new JsonObject { ["visibility"] = "circle" });
        Assert.Equal("Falta tu logro.", Refusal(spanish));
    }

    [Fact]
    public async Task ProblemDetails_answer_in_the_language_the_request_asks_for()
    {
        var carla = await app.RegisterAsync("carla-es");
        using var join = new HttpRequestMessage(HttpMethod.Post, "/api/circles/join") { Content = JsonContent.Create(new { inviteCode = "ZZZZZZZZ", displayName = "Carla" }) };
        join.Headers.AcceptLanguage.ParseAdd("es");
        var notFound = await (await carla.Http.SendAsync(join)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("No se encontró.", notFound.Title);
        Assert.Equal("Ese código de invitación no corresponde a ningún círculo. Compruébalo con quien acompaña tu círculo.", notFound.Detail);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/circles") { Content = JsonContent.Create(new { name = "" }) };
        create.Headers.AcceptLanguage.ParseAdd("es-AR");
        var invalid = await (await carla.Http.SendAsync(create)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Hay algo en lo que se envió que necesita un cambio.", invalid.Title);
        Assert.Equal(["Falta el nombre del círculo."], invalid.Errors!["name"]);

        using var english = new HttpRequestMessage(HttpMethod.Post, "/api/circles") { Content = JsonContent.Create(new { name = "" }) };
        var problem = await (await carla.Http.SendAsync(english)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Some of what was sent needs a change.", problem.Title);
        Assert.Equal(["A circle name is required."], problem.Errors!["name"]);
    }
}
