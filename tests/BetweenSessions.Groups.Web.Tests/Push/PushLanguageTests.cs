using System.Net;
using System.Net.Http.Json;
using BetweenSessions.Groups.Contracts.Nudges;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// A push reaches each person in the language they chose (English when they chose none: no browser is asking), and
/// in either language it says nothing private.
/// </summary>
[Collection(PushAppFixture.Collection)]
public sealed class PushLanguageTests(PushAppFixture app)
{
    [Fact]
    public async Task A_push_is_in_the_persons_chosen_language_and_still_says_nothing_private()
    {
        var lucia = await app.RegisterAsync("Lucia");
        var ed = await app.RegisterAsync("Ed");
        var circle = await lucia.CircleWithMembersAsync(ed);
        var ids = (await lucia.CircleAsync(circle.CircleId)).Members.ToDictionary(m => m.DisplayName, m => m.MemberId);
        await app.Grains.GetGrain<IMemberSettingsGrain>(ids["Lucia"]).SetLanguageAsync("es");
        using var luciaPhone = await SubscribeAsync(lucia);
        using var edPhone = await SubscribeAsync(ed);
        foreach (var user in new[] { lucia, ed })
            (await user.Http.PutAsJsonAsync("/api/me/push", new { kind = NudgeKinds.Reflect, on = true })).EnsureSuccessStatusCode();

        foreach (var (name, id) in ids)
            await app.Grains.GetGrain<INudgeGrain>(id).OfferAsync(new NudgeRequest($"reflect:{circle.CircleId:N}:lang", NudgeKinds.Reflect,
                "A moment to reflect, if you like", $"Today's session of {circle.Name} has ended.", $"/circles/{circle.CircleId}", null,
                circle.CircleId, [circle.Name]));

        var toLucia = luciaPhone.Decrypt(Assert.Single(await app.Sink.WaitForAsync(luciaPhone)));
        var toEd = edPhone.Decrypt(Assert.Single(await app.Sink.WaitForAsync(edPhone)));
        Assert.Equal("Algo de tu círculo", (string?)toLucia["title"]);
        Assert.Equal("Ábrelo cuando te venga bien.", (string?)toLucia["body"]);
        Assert.Equal("Something from your circle", (string?)toEd["title"]);
        Assert.Equal("Open it when it suits you.", (string?)toEd["body"]);
        foreach (var seen in new[] { toLucia, toEd })
        {
            var text = seen.ToJsonString();
            foreach (var secret in new[] { "Lucia", "Ed\"", circle.Name, "reflect", "reflexionar" })
                Assert.DoesNotContain(secret, text.Replace($"reflect:{circle.CircleId:N}:lang", ""), StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<TestBrowserSubscription> SubscribeAsync(TestUser user)
    {
        var subscription = app.Sink.NewSubscription();
        using var phone = app.OnAnotherDevice(user);
        var response = await phone.PutAsJsonAsync("/api/me/push-subscription", subscription.ToJson());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return subscription;
    }
}
