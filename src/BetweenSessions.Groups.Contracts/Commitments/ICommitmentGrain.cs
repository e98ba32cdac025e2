using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Commitments;

/// <summary>
/// One shared practice commitment: a small, concrete plan (what, the cue, how small) that peers can co-practise.
/// Its own grain, so that co-practising does not grow the circle's state. Only <see cref="Circles.CircleGrain"/>
/// calls it, after checking membership and audience: the circle's log is where commitments become visible.
/// </summary>
public interface ICommitmentGrain : IGrainWithGuidKey
{
    Task<CommitmentView> MakeAsync(CommitmentPlan plan);

    /// <summary>Adds a co-practitioner; joining twice changes nothing.</summary>
    Task<CommitmentView> JoinAsync(string memberId);

    Task<CommitmentView?> GetAsync();

    /// <summary>
    /// Clears the stored commitment when <paramref name="ownerId"/> made it (its what, cue and size are their words);
    /// from then on it reads as not there, so nobody can join it or copy its text again. Repeating it changes nothing.
    /// </summary>
    Task EraseAsync(string ownerId);
}

[GenerateSerializer, Immutable]
public sealed record CommitmentPlan(
    Guid CircleId, string OwnerId, string Practice, string Cue, string? Size, Visibility Visibility, string? CueTime = null);

[GenerateSerializer, Immutable]
public sealed record CommitmentView(
    Guid CommitmentId, Guid CircleId, string OwnerId, string Practice, string Cue, string? Size, Visibility Visibility,
    IReadOnlyList<string> CoPractitionerIds, DateTimeOffset MadeAt, string? CueTime = null)
{
    public bool IsPractisedBy(string memberId) => OwnerId == memberId || CoPractitionerIds.Contains(memberId);
}
