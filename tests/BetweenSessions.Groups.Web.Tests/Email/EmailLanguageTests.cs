using BetweenSessions.Groups.Contracts.Nudges;
using BetweenSessions.Groups.Contracts.Settings;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>A nudge email is written in the language the person chose, and says which in Content-Language.</summary>
[Collection(EmailAppFixture.Collection)]
public sealed class EmailLanguageTests(EmailAppFixture app)
{
    [Fact]
    public async Task A_nudge_email_is_in_the_persons_chosen_language()
    {
        app.Smtp.Require();
        var lucia = await app.CreateMemberAsync("Lucia");
        var settings = app.Grains.GetGrain<IMemberSettingsGrain>(lucia.Id);
        await settings.SaveAsync(new MemberSettings(EmailNudges: true));
        await settings.SetLanguageAsync("es");
        var ed = await app.CreateMemberAsync("Ed");
        await app.Grains.GetGrain<IMemberSettingsGrain>(ed.Id).SaveAsync(new MemberSettings(EmailNudges: true));

        foreach (var id in new[] { lucia.Id, ed.Id })
            await app.Grains.GetGrain<INudgeGrain>(id).OfferAsync(new NudgeRequest("reflect:lang:1", NudgeKinds.Reflect,
                "A moment to reflect, if you like", "Today's session of Olive Room has ended.", "circles", null, null, ["Olive Room"]));

        var toLucia = Assert.Single(await app.Smtp.WaitForAsync(lucia.Email, 1));
        Assert.Equal("es", toLucia.Headers["Content-Language"]);
        Assert.Contains("La sesión de hoy de Olive Room ha terminado", toLucia.Text);
        Assert.Contains("No hace falta responder a este correo", toLucia.Text);
        Assert.Contains("Dejar de recibir recordatorios por correo", toLucia.Html);
        var toEd = Assert.Single(await app.Smtp.WaitForAsync(ed.Email, 1));
        Assert.Equal("en", toEd.Headers["Content-Language"]);
        Assert.Equal("A moment to reflect, if you like", toEd.Subject);
        Assert.Contains("Today's session of Olive Room has ended.", toEd.Text);
    }

    [Fact]
    public async Task A_measure_nudge_names_the_measure_gently_in_the_persons_language()
    {
        app.Smtp.Require();
        var lucia = await app.CreateMemberAsync("Lucia");
        var settings = app.Grains.GetGrain<IMemberSettingsGrain>(lucia.Id);
        await settings.SaveAsync(new MemberSettings(EmailNudges: true));
        await settings.SetLanguageAsync("es");
        var ed = await app.CreateMemberAsync("Ed");
        await app.Grains.GetGrain<IMemberSettingsGrain>(ed.Id).SaveAsync(new MemberSettings(EmailNudges: true));
        var circleId = Guid.NewGuid();

        foreach (var id in new[] { lucia.Id, ed.Id })
            await app.Grains.GetGrain<INudgeGrain>(id).OfferAsync(new NudgeRequest($"measure:lang:{id}", NudgeKinds.Measure,
                "Week check is open, if you like", "Skipping an item, or \"not this week\", counts as an answer.",
                $"/circles/{circleId}/measures", null, circleId, ["Week check"]));

        var toLucia = Assert.Single(await app.Smtp.WaitForAsync(lucia.Email, 1));
        Assert.Equal("es", toLucia.Headers["Content-Language"]);
        Assert.Equal("Puedes responder Week check, si te apetece", toLucia.Subject);
        Assert.Contains("Saltar una pregunta, o «esta semana no», también cuenta como respuesta.", toLucia.Text);
        Assert.Contains($"/circles/{circleId}/measures", toLucia.Text);
        var toEd = Assert.Single(await app.Smtp.WaitForAsync(ed.Email, 1));
        Assert.Equal("Week check is open, if you like", toEd.Subject);
        Assert.Contains("Skipping an item, or \"not this week\", counts as an answer.", toEd.Text);
        foreach (var word in new[] { "missed", "overdue", "streak", "behind" })
            Assert.DoesNotContain(word, toEd.Subject + toEd.Text, StringComparison.OrdinalIgnoreCase);
    }
}
