using System.Globalization;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Tests.Circles;

namespace BetweenSessions.Groups.Grains.Tests.Localization;

/// <summary>
/// A grain answers in the language of whoever called it: the caller's culture travels with the call, so a refusal a
/// Spanish-speaking member reads is Spanish even though the grain runs on the silo's own threads.
/// </summary>
public sealed class CallerLanguageTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private GroupsGrainHost _services = default!;
    private readonly Guid _circleId = Guid.NewGuid();
    private ICircleGrain Circle => _services.Grains.GetGrain<ICircleGrain>(_circleId);

    public async ValueTask InitializeAsync()
    {
        _services = await CircleTestHost.StartAsync(_store);
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        await Circle.JoinAsync("m1", "Mia", created.InviteCode!);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static async Task<T> InCulture<T>(string name, Func<Task<T>> call)
    {
        var (ui, formatting) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try
        {
            return await call();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, formatting);
        }
    }

    [Fact]
    public async Task Refusals_from_the_grain_are_in_the_callers_language()
    {
        var empty = await InCulture("es-MX", () => Assert.ThrowsAsync<DomainValidationException>(
            () => Circle.ShareWinAsync("m1", new(null, " ", "circle"))));
        Assert.Equal(["Falta tu logro."], empty.Errors["text"]);

        var notFacilitator = await InCulture("es", () => Assert.ThrowsAsync<CircleAccessDeniedException>(
            () => Circle.RenameAsync("m1", new(null, "Otro nombre"))));
        Assert.Equal("Esto solo lo pueden hacer quienes acompañan el círculo.", notFacilitator.Message);

        var english = await InCulture("en-GB", () => Assert.ThrowsAsync<DomainValidationException>(
            () => Circle.ShareWinAsync("m1", new(null, " ", "circle"))));
        Assert.Equal(["The win is required."], english.Errors["text"]);
    }

    [Fact]
    public async Task Default_round_prompts_come_in_the_callers_language_and_a_circles_own_stay_as_written()
    {
        var spanish = await InCulture("es", () => Circle.GetFacilitationAsync("f1"));
        Assert.Equal("¿Una palabra para cómo llegas hoy?", spanish.RoundPrompts[0]);
        var english = await InCulture("en", () => Circle.GetFacilitationAsync("f1"));
        Assert.Equal("One word for how you are arriving today?", english.RoundPrompts[0]);

        await Circle.SetRoundPromptsAsync("f1", new(null, ["How are you arriving?"]));
        var own = await InCulture("es", () => Circle.GetFacilitationAsync("f1"));
        Assert.Equal(["How are you arriving?"], own.RoundPrompts);
    }

    [Fact]
    public async Task Every_capacity_has_words_in_both_languages()
    {
        foreach (var culture in new[] { "en", "es" })
            await InCulture(culture, () => { Assert.All(Capacity.All, c => Assert.NotEqual(c, Capacity.Describe(c))); return Task.FromResult(true); });
        Assert.Equal("Descansando", await InCulture("es", () => Task.FromResult(Capacity.Describe(Capacity.Resting))));
    }
}
