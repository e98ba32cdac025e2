using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Commitments;

public sealed class CommitmentState
{
    public Guid CircleId { get; set; }
    public string OwnerId { get; set; } = "";
    public string Practice { get; set; } = "";
    public string Cue { get; set; } = "";
    public string? Size { get; set; }
    public List<string> CoPractitionerIds { get; set; } = [];
    public DateTimeOffset MadeAt { get; set; }
}

public sealed class CommitmentGrain(TimeProvider clock) : Grain<CommitmentState>, ICommitmentGrain
{
    public async Task<CommitmentView> MakeAsync(Guid circleId, string ownerId, string practice, string cue, string? size)
    {
        if (State.OwnerId.Length > 0) throw new InvalidOperationException("This commitment already exists.");
        new Validation()
            .Required("practice", practice, "What you will practise")
            .MaxLength("practice", practice, Limits.Note, "What you will practise")
            .Required("cue", cue, "The cue (when or where)")
            .MaxLength("cue", cue, Limits.Note, "The cue")
            .MaxLength("size", size, Limits.Note, "How small")
            .ThrowIfInvalid();
        // Membership is the circle's to decide; asking it keeps one source of truth.
        await GrainFactory.GetGrain<ICircleGrain>(circleId).GetDetailsAsync(ownerId);
        State = new CommitmentState
        {
            CircleId = circleId, OwnerId = ownerId, Practice = practice.Trim(), Cue = cue.Trim(),
            Size = string.IsNullOrWhiteSpace(size) ? null : size.Trim(), MadeAt = clock.GetUtcNow(),
        };
        await WriteStateAsync();
        return View();
    }

    public async Task<CommitmentView> JoinAsync(string memberId)
    {
        if (State.OwnerId.Length == 0) throw new CircleNotFoundException("There is no such commitment.");
        await GrainFactory.GetGrain<ICircleGrain>(State.CircleId).GetDetailsAsync(memberId);
        if (memberId != State.OwnerId && !State.CoPractitionerIds.Contains(memberId))
        {
            State.CoPractitionerIds.Add(memberId);
            await WriteStateAsync();
        }
        return View();
    }

    public Task<CommitmentView?> GetAsync() =>
        Task.FromResult(State.OwnerId.Length == 0 ? null : View());

    private CommitmentView View() =>
        new(GetPrimaryKey(), State.CircleId, State.OwnerId, State.Practice, State.Cue, State.Size,
            State.CoPractitionerIds.ToList(), State.MadeAt);
}
