using BetweenSessions.Groups.Domain;
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
    public string? Language { get; set; }
    // Wire names ("circle", "facilitators", "private"), null until chosen.
    public string? CheckInAudience { get; set; }
    public string? WinAudience { get; set; }
    public string? CommitmentAudience { get; set; }
    public bool PushReflect { get; set; }
    public bool PushCue { get; set; }
    public bool PushSupport { get; set; }
    public bool PushBrought { get; set; }
    public bool PushMeasure { get; set; }
}

[GrainType("membersettings")]
public sealed class MemberSettingsGrain([PersistentState("MemberSettingsGrain", GroupsStorage.Name)] IPersistentState<MemberSettingsState> state) : StoredGrain<MemberSettingsState>(state), IMemberSettingsGrain
{
    public Task<MemberSettings> GetAsync() => Task.FromResult(
        new MemberSettings(State.LighterWeek, State.QuietFrom, State.QuietTo, State.TimeZoneId, State.PauseAllNudges, State.Saved,
            State.EmailNudges, State.Language));

    public async Task<MemberSettings> SaveAsync(MemberSettings settings)
    {
        var valid = settings.Validate();
        State.LighterWeek = valid.LighterWeek;
        State.QuietFrom = valid.QuietFrom;
        State.QuietTo = valid.QuietTo;
        State.TimeZoneId = valid.TimeZoneId;
        State.PauseAllNudges = valid.PauseAllNudges;
        State.Saved = true;
        State.EmailNudges = valid.EmailNudges;
        await WriteStateAsync();
        return valid with { Language = State.Language };
    }

    public async Task ForgetAsync()
    {
        await ClearStateAsync();
        State = new();
    }

    public async Task SetLanguageAsync(string? language)
    {
        if (language is not null && !MemberSettings.Languages.Contains(language))
            throw new DomainValidationException("language", DomainText.Format("ChooseOneOf", string.Join(", ", MemberSettings.Languages)));
        if (State.Language == language) return;
        State.Language = language;
        await WriteStateAsync();
    }

    public async Task SetEmailNudgesAsync(bool on)
    {
        if (State.EmailNudges == on) return;
        State.EmailNudges = on;
        await WriteStateAsync();
    }

    public Task<AudienceChoices> GetAudiencesAsync() => Task.FromResult(Audiences());

    public async Task<AudienceChoices> RememberAudienceAsync(SharedKind kind, Visibility? audience)
    {
        var choices = Audiences();
        if (choices.For(kind) == audience) return choices;
        choices = choices.With(kind, audience);
        State.CheckInAudience = choices.CheckIn?.ToWire();
        State.WinAudience = choices.Win?.ToWire();
        State.CommitmentAudience = choices.Commitment?.ToWire();
        await WriteStateAsync();
        return choices;
    }

    public Task<PushChoices> GetPushAsync() => Task.FromResult(Push());

    public async Task<PushChoices> SetPushAsync(string kind, bool on)
    {
        var choices = Push().With(kind, on);
        if (choices == Push()) return choices;
        (State.PushReflect, State.PushCue, State.PushSupport, State.PushBrought, State.PushMeasure) =
            (choices.Reflect, choices.Cue, choices.Support, choices.Brought, choices.Measure);
        await WriteStateAsync();
        return choices;
    }

    private PushChoices Push() => new(State.PushReflect, State.PushCue, State.PushSupport, State.PushBrought, State.PushMeasure);

    private AudienceChoices Audiences() => new(Parse(State.CheckInAudience), Parse(State.WinAudience), Parse(State.CommitmentAudience));

    private static Visibility? Parse(string? wire) => VisibilityNames.TryParse(wire, out var audience) ? audience : null;
}
