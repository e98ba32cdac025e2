using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>
/// What erasing a member's writing does to a circle's log, in one place so every store does exactly the same:
/// their entries become tombstones that name nobody, and other people's entries keep their own words but lose the
/// text they copied from the erased ones (a commitment's "what", a round's prompt).
/// </summary>
public static class Erasure
{
    /// <summary>The commitment text that another person's entry shows once its owner erased it.</summary>
    public const string RemovedCommitment = "a commitment that was removed";

    /// <summary>The round prompt that another facilitator's "round-ended" shows once the round's starter erased it.</summary>
    public const string RemovedPrompt = "a round prompt that was removed";

    /// <summary>Set on an entry whose copied text was replaced, so clients can tell without comparing strings.</summary>
    public const string TextRemovedField = "textRemoved";

    private const string ErasedClientEventPrefix = "erased:";

    /// <summary>Types of entries that copy text from another entry, and so may need rewriting on erase.</summary>
    public static readonly IReadOnlySet<string> CopyingTypes = new HashSet<string>
    {
        EventTypes.CommitmentJoined, EventTypes.PracticeLogged, EventTypes.RoundEnded,
    };

    /// <summary>
    /// The tombstone of <paramref name="original"/>: seq, id, time and audience stay; nothing names or quotes the author.
    /// </summary>
    public static CircleEvent Tombstone(CircleEvent original) => original with
    {
        Type = EventTypes.Removed,
        PayloadJson = "{}",
        MemberId = CircleEvent.RemovedAuthorId,
        DisplayName = CircleEvent.RemovedAuthorName,
        SubjectMemberId = null,
        ClientEventId = original.ClientEventId is null ? null : ErasedClientEventId(original.CircleId, original.MemberId, original.ClientEventId),
    };

    /// <summary>
    /// What a tombstone keeps of its client event id: a one-way digest that only a resend by the same author in the same
    /// circle reproduces, so an app retrying an entry its person has since erased gets the old receipt back instead of
    /// storing the text again. It names nobody and is never sent to clients. It fits <see cref="Limits.ClientEventId"/>.
    /// </summary>
    public static string ErasedClientEventId(Guid circleId, string memberId, string clientEventId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{circleId:N}\n{memberId}\n{clientEventId}"));
        return ErasedClientEventPrefix + Convert.ToBase64String(digest).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The rounds the member opened, from the entries they wrote (before those become tombstones).</summary>
    public static IReadOnlySet<Guid> RoundsStartedIn(IEnumerable<CircleEvent> authored) =>
        authored.Where(e => e.Type == EventTypes.RoundStarted)
            .Select(e => EventPayload.GuidField(e.PayloadJson, "roundId")).OfType<Guid>().ToHashSet();

    /// <summary>The commitments the member made, from the entries they wrote.</summary>
    public static IReadOnlyList<Guid> CommitmentsMadeIn(IEnumerable<CircleEvent> authored) =>
        authored.Where(e => e.Type == EventTypes.CommitmentMade)
            .Select(e => EventPayload.GuidField(e.PayloadJson, "commitmentId")).OfType<Guid>().Distinct().ToList();

    /// <summary>
    /// The payload of someone else's entry without the text it copied from <paramref name="erasingMemberId"/>'s writing,
    /// or null when it copied nothing of theirs (or was already rewritten, so erasing again changes nothing).
    /// A join or practice log copies its commitment's "what" and has the commitment's owner as its subject; a
    /// "round-ended" copies the prompt of the round it closed.
    /// </summary>
    public static string? WithoutCopiedText(CircleEvent other, string erasingMemberId, IReadOnlySet<Guid> erasedRounds)
    {
        if (other.MemberId == erasingMemberId || JsonNode.Parse(other.PayloadJson) is not JsonObject payload) return null;
        if (payload[TextRemovedField] is not null) return null;
        switch (other.Type)
        {
            case EventTypes.CommitmentJoined or EventTypes.PracticeLogged when other.SubjectMemberId == erasingMemberId:
                payload["practice"] = RemovedCommitment;
                break;
            case EventTypes.RoundEnded when EventPayload.GuidField(other.PayloadJson, "roundId") is { } roundId && erasedRounds.Contains(roundId):
                payload["prompt"] = RemovedPrompt;
                break;
            default:
                return null;
        }
        payload[TextRemovedField] = true;
        return EventPayload.Serialize(payload);
    }
}

/// <summary>
/// One erased entry: its tombstone, and who could see the entry before (its author and subject), so that live
/// viewers who hold it can be told to drop it even though the tombstone itself names nobody.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ErasedEntry(CircleEvent Tombstone, string FormerAuthorId, string? FormerSubjectId);

/// <summary>What one erase changed in a circle's log: new tombstones, and other people's entries that lost copied text.</summary>
[GenerateSerializer, Immutable]
public sealed record ErasureResult(IReadOnlyList<ErasedEntry> Tombstones, IReadOnlyList<CircleEvent> Rewritten)
{
    public static readonly ErasureResult Nothing = new([], []);
}
