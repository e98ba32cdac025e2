namespace BetweenSessions.Groups.Domain;

/// <summary>A co-regulation check-in as its author composed it: capacity, a few feeling words, an optional note.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckInDraft(
    string? ClientEventId,
    string? Capacity,
    IReadOnlyList<string>? Feelings,
    string? Note,
    string? Visibility)
{
    public ValidCheckIn Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var capacity = v.OneOf("capacity", Capacity, Domain.Capacity.All, "Capacity", c => c);
        var feelings = (Feelings ?? []).Select(f => f?.Trim() ?? "").Where(f => f.Length > 0).ToList();
        v.Check(feelings.Count <= Limits.FeelingsPerCheckIn, "feelings",
            DomainText.Format("CheckIn.Feelings", Limits.FeelingsPerCheckIn));
        v.Check(feelings.All(f => f.Length <= Limits.FeelingWord), "feelings",
            DomainText.Format("CheckIn.FeelingLength", Limits.FeelingWord));
        v.Check(feelings.All(TextRules.FitForName), "feelings",
            DomainText.Get("CheckIn.FeelingCharacters"));
        var note = v.OptionalText("note", Note, Limits.Note, "Note");
        var visibility = v.Visibility(Visibility);
        v.ThrowIfInvalid();
        return new ValidCheckIn(clientEventId, capacity!, feelings, note, visibility);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidCheckIn(
    string? ClientEventId, string Capacity, IReadOnlyList<string> Feelings, string? Note, Visibility Visibility) : IValidEntry;
