using BetweenSessions.Groups.Grains.Hosting;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Commitments;

public sealed class CommitmentState
{
    public Guid CircleId { get; set; }
    public string OwnerId { get; set; } = "";
    public string Practice { get; set; } = "";
    public string Cue { get; set; } = "";
    public string? Size { get; set; }
    /// <summary>"HH:mm", read in each practitioner's own time zone; null when the cue has no time.</summary>
    public string? CueTime { get; set; }
    public Visibility Visibility { get; set; }
    public List<string> CoPractitionerIds { get; set; } = [];
    public DateTimeOffset MadeAt { get; set; }
}

[GrainType("commitment")]
public sealed class CommitmentGrain([PersistentState("CommitmentGrain", GroupsStorage.Name)] IPersistentState<CommitmentState> state, TimeProvider clock) : StoredGrain<CommitmentState>(state), ICommitmentGrain
{
    private bool Exists => State.OwnerId.Length > 0;

    public async Task<CommitmentView> MakeAsync(CommitmentPlan plan)
    {
        if (Exists) throw new InvalidOperationException("This commitment already exists.");
        State = new CommitmentState
        {
            CircleId = plan.CircleId, OwnerId = plan.OwnerId, Practice = plan.Practice, Cue = plan.Cue, Size = plan.Size, CueTime = plan.CueTime,
            Visibility = plan.Visibility, MadeAt = clock.GetUtcNow(),
        };
        await WriteStateAsync();
        return View();
    }

    public async Task<CommitmentView> JoinAsync(string memberId)
    {
        if (!Exists) throw new CircleNotFoundException(DomainText.Get("Commitment.NotThere"));
        if (memberId != State.OwnerId && !State.CoPractitionerIds.Contains(memberId))
        {
            State.CoPractitionerIds.Add(memberId);
            await WriteStateAsync();
        }
        return View();
    }

    public Task<CommitmentView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task EraseAsync(string ownerId)
    {
        if (!Exists || State.OwnerId != ownerId) return;
        // Clearing resets this activation's state too, so nothing of the text stays in memory either.
        await ClearStateAsync();
    }

    private CommitmentView View() =>
        new(this.GetPrimaryKey(), State.CircleId, State.OwnerId, State.Practice, State.Cue, State.Size, State.Visibility,
            State.CoPractitionerIds.ToList(), State.MadeAt, State.CueTime);
}
