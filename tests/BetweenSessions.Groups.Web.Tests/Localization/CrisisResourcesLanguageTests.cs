using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Hub;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// A facilitator gives crisis resources per language; a member who asks for support reaches the ones in their language
/// and the ones for everybody, in one step, and the offline page gets every resource with its language.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class CrisisResourcesLanguageTests(GroupsAppFixture app)
{
    private async Task<RawHubConnection> ConnectAsync(TestUser user, string language)
    {
        var (connection, refused) = await RawHubConnection.OpenAsync(app.BaseAddress, user.Token, language: language);
        Assert.Null(refused);
        Assert.Null((await connection!.HandshakeAsync())["error"]);
        return connection;
    }

    private static string[] Names(JsonObject completion) =>
        completion["result"]!["resources"]!.AsArray().Select(r => (string)r!["name"]!).ToArray();

    [Fact]
    public async Task A_member_asking_for_support_reaches_the_resources_in_their_language_and_those_for_everybody()
    {
        var facilitator = await app.RegisterAsync("crisis-fac");
        var member = await app.RegisterAsync("crisis-member");
        var circle = await facilitator.CircleWithMembersAsync(member);
        var id = circle.CircleId.ToString();
        await using (var dashboard = await ConnectAsync(facilitator, "en"))
        {
            var refused = await dashboard.InvokeAsync("1", "SetCrisisResources", id, new JsonObject
            {
                ["resources"] = new JsonArray(new JsonObject { ["name"] = "Ligne d'écoute", ["phone"] = "3114", ["language"] = "fr" }),
            });
            Assert.EndsWith("HubException: A resource's language is one of: en, es, or none for everybody.", (string?)refused["error"]);

            var set = await dashboard.InvokeAsync("2", "SetCrisisResources", id, new JsonObject
            {
                ["resources"] = new JsonArray(
                    new JsonObject { ["name"] = "Línea de escucha", ["phone"] = "024", ["language"] = "es" },
                    new JsonObject { ["name"] = "Listening line", ["phone"] = "0800 111 0 111", ["language"] = "en" },
                    new JsonObject { ["name"] = "112", ["phone"] = "112" }),
            });
            Assert.Null(set["error"]);
        }

        await using var spanish = await ConnectAsync(member, "es-ES");
        Assert.Equal(["Línea de escucha", "112"], Names(await spanish.InvokeAsync("3", "RequestSupport", id, new JsonObject())));
        await using var english = await ConnectAsync(member, "en-GB");
        Assert.Equal(["Listening line", "112"], Names(await english.InvokeAsync("4", "RequestSupport", id, new JsonObject())));
    }

    [Fact]
    public async Task The_offline_page_gets_the_deployments_resources_with_their_languages()
    {
        using var http = app.Anonymous();
        var resources = JsonNode.Parse(await http.GetStringAsync("/offline/crisis-resources.json"))!.AsArray();
        Assert.Contains(resources, r => (string?)r!["language"] == "es" && (string?)r["name"] == "Servicios de emergencia");
        Assert.Contains(resources, r => (string?)r!["language"] == "en" && (string?)r["name"] == "Emergency services");
    }
}
