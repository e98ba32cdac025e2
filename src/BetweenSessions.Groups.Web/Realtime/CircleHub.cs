using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

public sealed record JoinCircleResponse(
    Guid CircleId, string Role, long LastSeq, IReadOnlyList<MemberPresence> Members, OpenRoundResponse? OpenRound,
    IReadOnlyList<JsonObject> Events, bool HasMore);

public sealed record MemberPresence(string MemberId, string DisplayName, string Role, bool Present);

public sealed record OpenRoundResponse(Guid RoundId, string Prompt, DateTimeOffset StartedAt, string StartedBy);

public sealed record EventAck(Guid EventId, long Seq);

public sealed record InviteCodeAck(Guid EventId, long Seq, string InviteCode);

public sealed record CommitmentReminderAck(Guid CommitmentId, bool RemindMe);

public sealed record SupportAck(Guid EventId, long Seq, IReadOnlyList<CrisisResource> Resources);

/// <summary>
/// The real-time API at /hubs/circles (docs/realtime-api.md). Every method asks the circle's grain, which checks
/// membership and role; the hub reads arguments, and maps people to SignalR groups so each event reaches exactly
/// its audience.
/// </summary>
[Authorize(Policy = AccountsExtensions.ApiPolicy)]
public sealed partial class CircleHub(
    IGrainFactory grains, CircleHubRelay relay, CircleCrisisResources crisisResources, FacilitatorSignIn facilitatorRule) : Hub
{
    private const int JoinPageSize = 100;

    public async Task<JoinCircleResponse> JoinCircle(JsonElement circleId, JsonElement afterSeq)
    {
        var id = HubInput.CircleId(circleId);
        var after = HubInput.Seq(afterSeq, "afterSeq");
        var memberId = MemberId;
        var circle = grains.GetGrain<ICircleGrain>(id);
        var details = await circle.GetDetailsAsync(memberId);

        // Groups and the relay come first, so nothing stored after the replay below can slip between the two.
        relay.Track(id, memberId, Context.ConnectionId);
        foreach (var group in CircleGroups.For(id, memberId, details.Role))
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        if (JoinedCircles.Add(id)) await relay.WatchAsync(id);

        IReadOnlyList<string> present;
        EventPage page;
        try
        {
            present = await circle.ConnectAsync(memberId, Context.ConnectionId);
            page = await circle.ReadEventsAsync(memberId, after, JoinPageSize);
        }
        catch (CircleAccessDeniedException)
        {
            // They left the circle while joining it: take the groups back.
            relay.Untrack(id, memberId, Context.ConnectionId);
            await relay.RemoveFromCircleGroupsAsync(id, memberId, [Context.ConnectionId]);
            throw;
        }
        var round = details.OpenRound;
        return new JoinCircleResponse(id, details.Role.ToWire(), details.LastSeq,
            details.Members.Select(m => new MemberPresence(m.MemberId, m.DisplayName, m.Role.ToWire(), present.Contains(m.MemberId))).ToList(),
            round is null ? null : new OpenRoundResponse(round.RoundId, round.Prompt, round.StartedAt, round.StartedBy),
            page.Events.Select(CircleEventWire.ToWire).ToList(), page.HasMore);
    }

    public Task<EventAck> CheckIn(JsonElement circleId, JsonElement entry) =>
        WriteAsync<CheckInDraft>(circleId, entry, (circle, member, draft) => circle.CheckInAsync(member, draft));

    public Task<EventAck> ShareWin(JsonElement circleId, JsonElement entry) =>
        WriteAsync<ShareWinDraft>(circleId, entry, (circle, member, draft) => circle.ShareWinAsync(member, draft));

    public Task<EventAck> Acknowledge(JsonElement circleId, JsonElement entry) =>
        WriteAsync<AcknowledgeDraft>(circleId, entry, (circle, member, draft) => circle.AcknowledgeAsync(member, draft));

    public Task<EventAck> MakeCommitment(JsonElement circleId, JsonElement entry) =>
        WriteAsync<MakeCommitmentDraft>(circleId, entry, (circle, member, draft) => circle.MakeCommitmentAsync(member, draft));

    public Task<EventAck> JoinCommitment(JsonElement circleId, JsonElement entry) =>
        WriteAsync<JoinCommitmentDraft>(circleId, entry, (circle, member, draft) => circle.JoinCommitmentAsync(member, draft));

    /// <summary>The caller's own reminder at the commitment's cue time; private, so no event and no push.</summary>
    public async Task<CommitmentReminderAck> SetCommitmentReminder(JsonElement circleId, JsonElement body)
    {
        var id = HubInput.CircleId(circleId);
        var draft = HubInput.Entry<SetCommitmentReminderDraft>(body, nameof(SetCommitmentReminder));
        await grains.GetGrain<ICircleGrain>(id).SetCommitmentReminderAsync(MemberId, draft);
        return new CommitmentReminderAck(draft.CommitmentId!.Value, draft.RemindMe!.Value);
    }

    public Task<EventAck> LogPractice(JsonElement circleId, JsonElement entry) =>
        WriteAsync<LogPracticeDraft>(circleId, entry, (circle, member, draft) => circle.LogPracticeAsync(member, draft));

    public Task<EventAck> BringToSession(JsonElement circleId, JsonElement entry) =>
        WriteAsync<BringToSessionDraft>(circleId, entry, (circle, member, draft) => circle.BringToSessionAsync(member, draft));

    public Task<EventAck> Reflect(JsonElement circleId, JsonElement entry) =>
        WriteAsync<ReflectDraft>(circleId, entry, (circle, member, draft) => circle.ReflectAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> StartRound(JsonElement circleId, JsonElement entry) =>
        WriteAsync<StartRoundDraft>(circleId, entry, (circle, member, draft) => circle.StartRoundAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> EndRound(JsonElement circleId, JsonElement entry) =>
        WriteAsync<EndRoundDraft>(circleId, entry, (circle, member, draft) => circle.EndRoundAsync(member, draft));

    public Task<EventAck> RespondToRound(JsonElement circleId, JsonElement entry) =>
        WriteAsync<RespondToRoundDraft>(circleId, entry, (circle, member, draft) => circle.RespondToRoundAsync(member, draft));

    /// <summary>The crisis resources come back with the receipt, so the member sees them in the same step.</summary>
    public async Task<SupportAck> RequestSupport(JsonElement circleId, JsonElement entry)
    {
        var ack = await WriteAsync<RequestSupportDraft>(circleId, entry, (circle, member, draft) => circle.RequestSupportAsync(member, draft));
        var resources = await crisisResources.ForAsync(grains.GetGrain<ICircleGrain>(HubInput.CircleId(circleId)), MemberId);
        return new SupportAck(ack.EventId, ack.Seq, resources);
    }

    public Task<EventAck> AddSupportNote(JsonElement circleId, JsonElement entry) =>
        WriteAsync<AddSupportNoteDraft>(circleId, entry, (circle, member, draft) => circle.AddSupportNoteAsync(member, draft));

    public Task<EventAck> WithdrawSupport(JsonElement circleId, JsonElement entry) =>
        WriteAsync<WithdrawSupportDraft>(circleId, entry, (circle, member, draft) => circle.WithdrawSupportAsync(member, draft));

    // Facilitation (docs/realtime-api.md, "Facilitation"): the same grain methods as the dashboard, so the rules
    // (facilitators only, archive, idempotency) are one and the same.

    [FacilitatorsOnly]
    public Task<EventAck> RenameCircle(JsonElement circleId, JsonElement entry) =>
        WriteAsync<RenameCircleDraft>(circleId, entry, (circle, member, draft) => circle.RenameAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> ArchiveCircle(JsonElement circleId, JsonElement entry) =>
        WriteAsync<ArchiveCircleDraft>(circleId, entry, (circle, member, draft) => circle.ArchiveAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> ReopenCircle(JsonElement circleId, JsonElement entry) =>
        WriteAsync<ReopenCircleDraft>(circleId, entry, (circle, member, draft) => circle.ReopenAsync(member, draft));

    /// <summary>The new code comes back with the receipt; it is never in an event.</summary>
    [FacilitatorsOnly]
    public async Task<InviteCodeAck> NewInviteCode(JsonElement circleId, JsonElement entry)
    {
        var ack = await WriteAsync<NewInviteCodeDraft>(circleId, entry, (circle, member, draft) => circle.NewInviteCodeAsync(member, draft));
        var view = await grains.GetGrain<ICircleGrain>(HubInput.CircleId(circleId)).GetFacilitationAsync(MemberId);
        return new InviteCodeAck(ack.EventId, ack.Seq, view.InviteCode);
    }

    [FacilitatorsOnly]
    public Task<EventAck> RemoveMember(JsonElement circleId, JsonElement entry) =>
        WriteAsync<RemoveMemberDraft>(circleId, entry, (circle, member, draft) => circle.RemoveMemberAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> AddCoFacilitator(JsonElement circleId, JsonElement entry) =>
        WriteAsync<AddCoFacilitatorDraft>(circleId, entry, (circle, member, draft) => circle.AddCoFacilitatorAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> SetRoundPrompts(JsonElement circleId, JsonElement entry) =>
        WriteAsync<SetRoundPromptsDraft>(circleId, entry, (circle, member, draft) => circle.SetRoundPromptsAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> SetCrisisResources(JsonElement circleId, JsonElement entry) =>
        WriteAsync<SetCrisisResourcesDraft>(circleId, entry, (circle, member, draft) => circle.SetCrisisResourcesAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> SetSeatingOrder(JsonElement circleId, JsonElement entry) =>
        WriteAsync<SetSeatingOrderDraft>(circleId, entry, (circle, member, draft) => circle.SetSeatingOrderAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> SetSessionSchedule(JsonElement circleId, JsonElement entry) =>
        WriteAsync<SetSessionScheduleDraft>(circleId, entry, (circle, member, draft) => circle.SetSessionScheduleAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> ChangeSession(JsonElement circleId, JsonElement entry) =>
        WriteAsync<ChangeSessionDraft>(circleId, entry, (circle, member, draft) => circle.ChangeSessionAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> MarkDiscussed(JsonElement circleId, JsonElement entry) =>
        WriteAsync<MarkDiscussedDraft>(circleId, entry, (circle, member, draft) => circle.MarkDiscussedAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> AcknowledgeAlert(JsonElement circleId, JsonElement entry) =>
        WriteAsync<AcknowledgeAlertDraft>(circleId, entry, (circle, member, draft) => circle.AcknowledgeAlertAsync(member, draft));

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var circleId in JoinedCircles)
        {
            relay.Untrack(circleId, MemberId, Context.ConnectionId);
            await grains.GetGrain<ICircleGrain>(circleId).DisconnectAsync(MemberId, Context.ConnectionId);
            await relay.UnwatchAsync(circleId);
        }
        await base.OnDisconnectedAsync(exception);
    }

    private static readonly Meter Meter = new("BetweenSessions.Groups.Web");
    private static readonly Histogram<double> WriteDuration =
        Meter.CreateHistogram<double>("bsg.hub.write.duration", "ms", "Time a hub write waited for its circle's grain: checks, commit, receipt.");

    private async Task<EventAck> WriteAsync<TDraft>(
        JsonElement circleId, JsonElement entry, Func<ICircleGrain, string, TDraft, Task<EventReceipt>> write,
        [CallerMemberName] string method = "")
    {
        var receipt = await WriteAsync<TDraft, EventReceipt>(circleId, entry, write, method);
        return new EventAck(receipt.EventId, receipt.Seq);
    }

    /// <summary>A write whose grain method answers with more than a receipt (AnswerMeasure's reading).</summary>
    private async Task<TReceipt> WriteAsync<TDraft, TReceipt>(
        JsonElement circleId, JsonElement entry, Func<ICircleGrain, string, TDraft, Task<TReceipt>> write,
        [CallerMemberName] string method = "")
    {
        var id = HubInput.CircleId(circleId);
        var draft = HubInput.Entry<TDraft>(entry, method);
        var started = Stopwatch.GetTimestamp();
        var receipt = await write(grains.GetGrain<ICircleGrain>(id), MemberId, draft);
        if (WriteDuration.Enabled) WriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return receipt;
    }

    private string MemberId => Context.User!.MemberId();

    /// <summary>The circles this connection joined; a hub runs one invocation per connection at a time.</summary>
    private HashSet<Guid> JoinedCircles
    {
        get
        {
            if (!Context.Items.TryGetValue(nameof(JoinedCircles), out var circles))
                Context.Items[nameof(JoinedCircles)] = circles = new HashSet<Guid>();
            return (HashSet<Guid>)circles!;
        }
    }
}

/// <summary>Names of the SignalR groups that carry each audience of a circle.</summary>
public static class CircleGroups
{
    public static string Everyone(Guid circleId) => $"circle:{circleId:N}";

    public static string Facilitators(Guid circleId) => $"circle:{circleId:N}:facilitators";

    public static string Member(Guid circleId, string memberId) => $"circle:{circleId:N}:member:{memberId}";

    /// <summary>A member's connections while they are not a facilitator of the circle (so not in <see cref="Facilitators"/>).</summary>
    public static string NotFacilitator(Guid circleId, string memberId) => $"circle:{circleId:N}:member:{memberId}:not-facilitator";

    public static IEnumerable<string> For(Guid circleId, string memberId, CircleRole role)
    {
        yield return Everyone(circleId);
        yield return Member(circleId, memberId);
        yield return role == CircleRole.Facilitator ? Facilitators(circleId) : NotFacilitator(circleId, memberId);
    }

    /// <summary>Every group a member's connection can be in, whatever role it joined with: what leaving undoes.</summary>
    public static IEnumerable<string> AnyRole(Guid circleId, string memberId) =>
        For(circleId, memberId, CircleRole.Facilitator).Append(NotFacilitator(circleId, memberId));

    /// <summary>
    /// The groups an event goes to: the mirror of <see cref="Audience.CanSee"/>. The groups never share a connection:
    /// SignalR sends to every group it is given, so a connection in two of them would get the event twice.
    /// </summary>
    public static IReadOnlyList<string> Audience(CircleEvent e)
    {
        if (e.Visibility == Visibility.Circle) return [Everyone(e.CircleId)];
        // Author and subject are different people (an entry's subject is never its author).
        if (e.Visibility == Visibility.Private)
            return e.SubjectMemberId is null ? [Member(e.CircleId, e.MemberId)] : [Member(e.CircleId, e.MemberId), Member(e.CircleId, e.SubjectMemberId)];
        var groups = new List<string>(3) { Facilitators(e.CircleId), NotFacilitator(e.CircleId, e.MemberId) };
        if (e.SubjectMemberId is not null) groups.Add(NotFacilitator(e.CircleId, e.SubjectMemberId));
        return groups;
    }
}
