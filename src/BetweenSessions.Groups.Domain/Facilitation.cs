namespace BetweenSessions.Groups.Domain;

// What a facilitator sends to run a circle, and its validated forms. Like every entry, each carries an optional
// client event id, so a resend returns the first receipt and changes nothing twice.

/// <summary>A validated facilitation step that needs nothing but its client event id.</summary>
[GenerateSerializer, Immutable]
public sealed record ValidCircleStep(string? ClientEventId) : IValidEntry;

/// <summary>A validated step about one member of the circle.</summary>
[GenerateSerializer, Immutable]
public sealed record ValidMemberRef(string? ClientEventId, string MemberId) : IValidEntry;

/// <summary>A validated step about one entry of the circle (an agenda item, an alert).</summary>
[GenerateSerializer, Immutable]
public sealed record ValidEntryRef(string? ClientEventId, Guid EventId) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record RenameCircleDraft(string? ClientEventId, string? Name)
{
    public ValidRename Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var name = v.RequiredText("name", Name, Limits.CircleName, "CircleName");
        v.ThrowIfInvalid();
        return new ValidRename(clientEventId, name);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidRename(string? ClientEventId, string Name) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record ArchiveCircleDraft(string? ClientEventId)
{
    public ValidCircleStep Validate() => Step(ClientEventId);

    internal static ValidCircleStep Step(string? clientEventId)
    {
        var v = new Validation();
        var result = new ValidCircleStep(v.ClientEventId(clientEventId));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ReopenCircleDraft(string? ClientEventId)
{
    public ValidCircleStep Validate() => ArchiveCircleDraft.Step(ClientEventId);
}

[GenerateSerializer, Immutable]
public sealed record NewInviteCodeDraft(string? ClientEventId)
{
    public ValidCircleStep Validate() => ArchiveCircleDraft.Step(ClientEventId);
}

[GenerateSerializer, Immutable]
public sealed record RemoveMemberDraft(string? ClientEventId, string? MemberId)
{
    public ValidMemberRef Validate() => MemberRef(ClientEventId, MemberId);

    internal static ValidMemberRef MemberRef(string? clientEventId, string? memberId)
    {
        var v = new Validation();
        var result = new ValidMemberRef(v.ClientEventId(clientEventId), v.RequiredText("memberId", memberId, Limits.MemberId, "MemberId"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record AddCoFacilitatorDraft(string? ClientEventId, string? MemberId)
{
    public ValidMemberRef Validate() => RemoveMemberDraft.MemberRef(ClientEventId, MemberId);
}

/// <summary>The circle's own gentle prompts for rounds; an empty list goes back to <see cref="RoundPrompts.Defaults"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SetRoundPromptsDraft(string? ClientEventId, IReadOnlyList<string>? Prompts)
{
    public ValidRoundPrompts Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var prompts = (Prompts ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal).ToList();
        v.Check(prompts.Count <= Limits.RoundPrompts, "prompts", DomainText.Format("Prompts.Count", Limits.RoundPrompts));
        foreach (var prompt in prompts) v.OptionalText("prompts", prompt, Limits.RoundPrompt, "EachPrompt");
        v.ThrowIfInvalid();
        return new ValidRoundPrompts(clientEventId, prompts);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidRoundPrompts(string? ClientEventId, IReadOnlyList<string> Prompts) : IValidEntry;

/// <summary>
/// A crisis resource as a facilitator enters it: a name, and a phone, a few words or a web address; and the language
/// it answers in ("en", "es"), or none for a resource for everybody (an emergency number).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CrisisResourceDraft(string? Name, string? Phone, string? Text, string? Url, string? Language = null);

/// <summary>A crisis resource of a circle, as members see it when they ask for support.</summary>
[GenerateSerializer, Immutable]
public sealed record CrisisContact(string Name, string? Phone, string? Text, string? Url, string? Language = null);

/// <summary>The circle's own crisis resources; an empty list goes back to the ones the deployment configured.</summary>
[GenerateSerializer, Immutable]
public sealed record SetCrisisResourcesDraft(string? ClientEventId, IReadOnlyList<CrisisResourceDraft>? Resources)
{
    public ValidCrisisResources Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var drafts = (Resources ?? []).Where(r => r is not null && !(IsBlank(r.Name) && IsBlank(r.Phone) && IsBlank(r.Text) && IsBlank(r.Url))).ToList();
        v.Check(drafts.Count <= Limits.CrisisResources, "resources", DomainText.Format("Crisis.Count", Limits.CrisisResources));
        var resources = new List<CrisisContact>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var r = drafts[i];
            var field = $"resources[{i}]";
            var name = v.RequiredText($"{field}.name", r.Name, Limits.CrisisResourceName, "ResourceName");
            var phone = v.OptionalText($"{field}.phone", r.Phone, Limits.CrisisResourcePhone, "Phone");
            v.Check(phone is null || phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')'), $"{field}.phone",
                DomainText.Get("Crisis.Phone"));
            var text = v.OptionalText($"{field}.text", r.Text, Limits.CrisisResourceText, "ResourceText");
            var url = v.OptionalText($"{field}.url", r.Url, Limits.Url, "Url");
            // Only web addresses: a link a person in crisis taps must not run anything.
            v.Check(url is null || Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http", $"{field}.url",
                DomainText.Get("Crisis.Url"));
            v.Check(phone is not null || text is not null || url is not null, $"{field}.name",
                DomainText.Format("Crisis.Empty", name));
            var language = string.IsNullOrWhiteSpace(r.Language) ? null : r.Language.Trim().ToLowerInvariant();
            v.Check(language is null || Languages.Supported.Contains(language), $"{field}.language",
                DomainText.Format("Crisis.Language", string.Join(", ", Languages.Supported)));
            resources.Add(new CrisisContact(name, phone, text, url, language));
        }
        v.ThrowIfInvalid();
        return new ValidCrisisResources(clientEventId, resources);
    }

    private static bool IsBlank(string? s) => string.IsNullOrWhiteSpace(s);
}

[GenerateSerializer, Immutable]
public sealed record ValidCrisisResources(string? ClientEventId, IReadOnlyList<CrisisContact> Resources) : IValidEntry;

/// <summary>
/// A seating order the facilitator sets for the member list; an empty list goes back to alphabetical. Members left
/// out (and people who join later) follow, alphabetically. Never derived from activity.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SetSeatingOrderDraft(string? ClientEventId, IReadOnlyList<string>? MemberIds)
{
    public ValidSeatingOrder Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var ids = (MemberIds ?? []).Select(id => id?.Trim() ?? "").ToList();
        v.Check(ids.All(id => id.Length is > 0 and <= Limits.MemberId), "memberIds", DomainText.Get("Seating.Id"));
        v.Check(ids.Distinct(StringComparer.Ordinal).Count() == ids.Count, "memberIds", DomainText.Get("Seating.Once"));
        v.ThrowIfInvalid();
        return new ValidSeatingOrder(clientEventId, ids);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidSeatingOrder(string? ClientEventId, IReadOnlyList<string> MemberIds) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record MarkDiscussedDraft(string? ClientEventId, Guid? EventId)
{
    public ValidEntryRef Validate() => EntryRef(ClientEventId, EventId);

    internal static ValidEntryRef EntryRef(string? clientEventId, Guid? eventId)
    {
        var v = new Validation();
        var result = new ValidEntryRef(v.ClientEventId(clientEventId), v.Id("eventId", eventId, "Entry"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record AcknowledgeAlertDraft(string? ClientEventId, Guid? EventId)
{
    public ValidEntryRef Validate() => MarkDiscussedDraft.EntryRef(ClientEventId, EventId);
}

public static class RoundPrompts
{
    /// <summary>
    /// Gentle prompts every circle starts with, until its facilitators set their own, in the language of whoever asks
    /// (the grain call carries it): a circle's own prompts stay as its facilitators wrote them.
    /// </summary>
    public static IReadOnlyList<string> Defaults =>
        [DomainText.Get("Prompt.1"), DomainText.Get("Prompt.2"), DomainText.Get("Prompt.3"), DomainText.Get("Prompt.4")];
}

/// <summary>Rules for every group-level view of a circle (charts, themes).</summary>
public static class GroupAggregates
{
    /// <summary>
    /// The fewest people any shown slice of an aggregate may stand for. A slice with fewer (one weekday, one
    /// capacity on that weekday, one word) is hidden, so that nobody can be singled out from a group view.
    /// </summary>
    public const int MinimumGroupSize = 3;
}
