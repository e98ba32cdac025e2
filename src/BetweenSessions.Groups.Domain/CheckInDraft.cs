namespace BetweenSessions.Groups.Domain;

/// <summary>A co-regulation check-in as its author composed it: capacity, a few feeling words, an optional note.</summary>
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
        v.MaxLength("clientEventId", ClientEventId, Limits.ClientEventId, "clientEventId");
        v.Required("capacity", Capacity, "Capacity");
        v.Check(Capacity is null || Domain.Capacity.IsValid(Capacity), "capacity",
            $"Capacity must be one of: {string.Join(", ", Domain.Capacity.All)}.");
        var feelings = (Feelings ?? []).Select(f => f?.Trim() ?? "").Where(f => f.Length > 0).ToList();
        v.Check(feelings.Count <= Limits.FeelingsPerCheckIn, "feelings",
            $"Choose at most {Limits.FeelingsPerCheckIn} feeling words.");
        v.Check(feelings.All(f => f.Length <= Limits.FeelingWord), "feelings",
            $"Each feeling word can be at most {Limits.FeelingWord} characters.");
        v.MaxLength("note", Note, Limits.Note, "The note");
        v.Check(VisibilityNames.TryParse(Visibility ?? VisibilityNames.Circle, out var visibility), "visibility",
            "Visibility must be \"circle\", \"facilitators\" or \"private\".");
        v.ThrowIfInvalid();
        var note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
        return new ValidCheckIn(ClientEventId, Capacity!, feelings, note, visibility);
    }
}

public sealed record ValidCheckIn(
    string? ClientEventId, string Capacity, IReadOnlyList<string> Feelings, string? Note, Visibility Visibility);
