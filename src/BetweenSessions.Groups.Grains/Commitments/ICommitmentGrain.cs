using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Commitments;

/// <summary>
/// One shared practice commitment: a small, concrete plan (what, the cue, how small) that peers can co-practise.
/// Its own grain, so co-practising one commitment never waits on the whole circle.
/// </summary>
public interface ICommitmentGrain : IGrainWithGuidKey
{
    Task<CommitmentView> MakeAsync(Guid circleId, string ownerId, string practice, string cue, string? size);

    /// <summary>Adds a co-practitioner; joining twice changes nothing.</summary>
    Task<CommitmentView> JoinAsync(string memberId);

    Task<CommitmentView?> GetAsync();
}

public sealed record CommitmentView(
    Guid CommitmentId, Guid CircleId, string OwnerId, string Practice, string Cue, string? Size,
    IReadOnlyList<string> CoPractitionerIds, DateTimeOffset MadeAt);
