using BetweenSessions.Groups.Grains.Hosting;

namespace BetweenSessions.Groups.Grains.Settings;

/// <summary>The persisted form: plain properties, so it reads back from JSON whatever the record's shape becomes.</summary>
public sealed class MemberSettingsState
{
    public bool LighterWeek { get; set; }
    public string? QuietFrom { get; set; }
    public string? QuietTo { get; set; }
    public string TimeZoneId { get; set; } = "UTC";
    public bool PauseAllNudges { get; set; }
    public bool Saved { get; set; }
    public bool EmailNudges { get; set; }
}

[GrainType("membersettings")]
public sealed class MemberSettingsGrain([PersistentState("MemberSettingsGrain", GroupsStorage.Name)] IPersistentState<MemberSettingsState> state) : StoredGrain<MemberSettingsState>(state), IMemberSettingsGrain
{
    public Task<MemberSettings> GetAsync() => Task.FromResult(
        new MemberSettings(State.LighterWeek, State.QuietFrom, State.QuietTo, State.TimeZoneId, State.PauseAllNudges, State.Saved,
            State.EmailNudges));

    public async Task<MemberSettings> SaveAsync(MemberSettings settings)
    {
        var valid = settings.Validate();
        State = new MemberSettingsState
        {
            LighterWeek = valid.LighterWeek, QuietFrom = valid.QuietFrom, QuietTo = valid.QuietTo,
            TimeZoneId = valid.TimeZoneId, PauseAllNudges = valid.PauseAllNudges, Saved = true, EmailNudges = valid.EmailNudges,
        };
        await WriteStateAsync();
        return valid;
    }

    public async Task SetEmailNudgesAsync(bool on)
    {
        if (State.EmailNudges == on) return;
        State.EmailNudges = on;
        await WriteStateAsync();
    }
}
