using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Settings;

public sealed class MemberSettingsGrainTests
{
    private readonly FlakyGrainStorage _storage = new(new InMemoryGrainStorage());

    private Task<GroupsGrainHost> Host() => CircleTestHost.StartAsync(new InMemoryCircleStore(), storage: _storage);

    private static IMemberSettingsGrain Settings(GroupsGrainHost host, string memberId = "user-1") =>
        host.Grains.GetGrain<IMemberSettingsGrain>(memberId);

    [Fact]
    public async Task A_person_who_never_saved_gets_calm_defaults()
    {
        await using var host = await Host();

        var settings = await Settings(host).GetAsync();

        Assert.Equal(MemberSettings.Default, settings);
        Assert.False(settings.Saved);
        Assert.Equal("UTC", settings.TimeZoneId);
    }

    [Fact]
    public async Task Saved_settings_come_back_after_the_grain_is_activated_again()
    {
        var wanted = new MemberSettings(LighterWeek: true, QuietFrom: "22:00", QuietTo: "7:30", TimeZoneId: "Europe/Berlin", PauseAllNudges: true);
        await using (var first = await Host()) await Settings(first).SaveAsync(wanted);

        await using var second = await Host();
        var loaded = await Settings(second).GetAsync();

        Assert.Equal(wanted with { QuietTo = "07:30", Saved = true }, loaded);
    }

    [Fact]
    public async Task Each_kind_of_entry_remembers_its_own_audience_apart_from_the_nudge_settings_and_after_reactivation()
    {
        await using (var first = await Host())
        {
            Assert.Equal(AudienceChoices.None, await Settings(first).GetAudiencesAsync());
            await Settings(first).RememberAudienceAsync(SharedKind.CheckIn, Visibility.Facilitators);
            await Settings(first).RememberAudienceAsync(SharedKind.Commitment, Visibility.Private);
            // Saving the nudge settings keeps the audiences, and choosing an audience keeps the nudge settings.
            await Settings(first).SaveAsync(new MemberSettings(PauseAllNudges: true, TimeZoneId: "Europe/Berlin"));
            await Settings(first).RememberAudienceAsync(SharedKind.Commitment, null);
        }

        await using var second = await Host();
        Assert.Equal(new AudienceChoices(CheckIn: Visibility.Facilitators), await Settings(second).GetAudiencesAsync());
        Assert.True((await Settings(second).GetAsync()).PauseAllNudges);
        Assert.Equal(AudienceChoices.None, await Settings(second, "user-2").GetAudiencesAsync());
    }

    [Fact]
    public async Task Settings_belong_to_one_person()
    {
        await using var host = await Host();
        await Settings(host, "user-1").SaveAsync(new MemberSettings(PauseAllNudges: true));

        Assert.False((await Settings(host, "user-2").GetAsync()).PauseAllNudges);
    }

    [Fact]
    public async Task A_save_the_database_refused_is_not_answered_as_saved_afterwards()
    {
        await using var host = await Host();
        await Settings(host).SaveAsync(new MemberSettings(TimeZoneId: "Europe/Berlin"));
        _storage.FailNextWrite = _ => true;

        var refused = await Assert.ThrowsAsync<OrleansException>(() =>
            Settings(host).SaveAsync(new MemberSettings(PauseAllNudges: true, TimeZoneId: "Europe/Berlin")));
        Assert.IsType<IOException>(refused.InnerException);

        // The activation that failed to write is gone; the next call reads what storage holds.
        var now = await Settings(host).GetAsync();
        Assert.False(now.PauseAllNudges);
        Assert.Equal("Europe/Berlin", now.TimeZoneId);
        Assert.Equal(1, _storage.Failures);
    }

    [Theory]
    [InlineData("25:00", "07:00", "UTC", "quietFrom")]
    [InlineData("22:00", null, "UTC", "quietTo")]
    [InlineData("22:00", "22:00", "UTC", "quietTo")]
    [InlineData(null, null, "Mars/Olympus_Mons", "timeZoneId")]
    [InlineData(null, null, "", "timeZoneId")]
    public async Task Unclear_settings_are_refused_naming_the_field_and_nothing_is_stored(string? from, string? to, string zone, string field)
    {
        await using var host = await Host();

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Settings(host).SaveAsync(new MemberSettings(QuietFrom: from, QuietTo: to, TimeZoneId: zone)));

        Assert.Contains(field, refused.Errors.Keys);
        Assert.False((await Settings(host).GetAsync()).Saved);
    }

    [Fact]
    public void The_time_zone_list_holds_iana_ids_and_utc() =>
        Assert.Contains("America/New_York", MemberSettings.TimeZoneIds);

    [Fact]
    public async Task A_chosen_language_is_kept_through_a_save_of_other_settings_and_after_reactivation()
    {
        await using (var first = await Host())
        {
            Assert.Null((await Settings(first).GetAsync()).Language);
            await Settings(first).SetLanguageAsync("es");
            var saved = await Settings(first).SaveAsync(new MemberSettings(LighterWeek: true));
            Assert.Equal("es", saved.Language);
        }

        await using var second = await Host();
        Assert.Equal("es", (await Settings(second).GetAsync()).Language);
        await Settings(second).SetLanguageAsync(null);
        Assert.Null((await Settings(second).GetAsync()).Language);
    }

    [Fact]
    public async Task A_language_the_product_is_not_written_in_is_refused_and_changes_nothing()
    {
        await using var host = await Host();
        await Settings(host).SetLanguageAsync("en");

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Settings(host).SetLanguageAsync("fr"));

        Assert.Contains("language", refused.Errors.Keys);
        Assert.Equal("en", (await Settings(host).GetAsync()).Language);
    }
}
