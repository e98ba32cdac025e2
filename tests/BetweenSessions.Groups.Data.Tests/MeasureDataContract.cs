using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using static BetweenSessions.Groups.Data.Tests.CircleWriter;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteMeasureDataTests(SqliteFixture fixture) : MeasureDataContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresMeasureDataTests(PostgresFixture fixture) : MeasureDataContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>
/// Measures as the store keeps them, on every provider: offered measures in the circle's row, answers, opt-ins and
/// pulses as entries that keep to their author's audience, read together only for the circle's own reckoning, and
/// erased like any other entry.
/// </summary>
public abstract class MeasureDataContract(DatabaseFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Measured = [EventTypes.MeasureOptedIn, EventTypes.MeasureStopped, EventTypes.MeasureAnswered, EventTypes.SessionPulse];

    private ICircleStore Store => fixture.Store;

    private async Task<CircleWriter> NewCircleAsync(CircleMember facilitator, params CircleMember[] members)
    {
        var circle = await new CircleWriter(Store, "Tuesday evening circle").CreateAsync(facilitator);
        foreach (var member in members) await circle.JoinAsync(member);
        return circle;
    }

    private static EventViewer Viewer(CircleMember member) => new(member.MemberId, member.Role);

    private static readonly Guid MeasureId = Guid.NewGuid();

    private static Task<CircleEvent> AnswerAsync(CircleWriter circle, CircleMember author, int? first = 1) =>
        circle.EntryAsync(author, EventTypes.MeasureAnswered,
            EventPayload.Serialize(new MeasureAnsweredPayload(MeasureId, false, [first, 2], first is null ? null : first + 2, null, false)),
            Visibility.Private);

    private static Task<CircleEvent> PulseAsync(CircleWriter circle, CircleMember author) =>
        circle.EntryAsync(author, EventTypes.SessionPulse,
            EventPayload.Serialize(new SessionPulsePayload("2026-03-10T19:00", 4, null, 5, "held")), Visibility.Private);

    private static Task<CircleEvent> OptInAsync(CircleWriter circle, CircleMember author, bool share) =>
        circle.EntryAsync(author, EventTypes.MeasureOptedIn, EventPayload.Serialize(new MeasureChoicePayload(MeasureId, share)),
            share ? Visibility.Facilitators : Visibility.Private);

    [Fact]
    public async Task Reading_by_type_returns_every_author_s_entries_of_those_types_oldest_first_and_nothing_else()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var ada = Person("Ada");
        var ben = Person("Ben");
        var circle = await NewCircleAsync(facilitator, ada, ben);
        var other = await NewCircleAsync(facilitator, ada);

        var adaPulse = await PulseAsync(circle, ada);
        await circle.CheckInAsync(ada);
        var benAnswer = await AnswerAsync(circle, ben);
        var benPulse = await PulseAsync(circle, ben);
        await OptInAsync(circle, ada, share: true);
        var facilitatorPulse = await PulseAsync(circle, facilitator);
        await PulseAsync(other, ada);
        await AnswerAsync(other, ada);

        var pulses = await Store.ReadOfTypesAsync(circle.Id, [EventTypes.SessionPulse], Ct);
        Assert.Equal([adaPulse.EventId, benPulse.EventId, facilitatorPulse.EventId], pulses.Select(e => e.EventId));
        Assert.All(pulses, e => Assert.Equal(circle.Id, e.CircleId));
        Assert.Equal(adaPulse.PayloadJson, pulses[0].PayloadJson);
        Assert.Equal(Visibility.Private, pulses[0].Visibility);

        var both = await Store.ReadOfTypesAsync(circle.Id, [EventTypes.SessionPulse, EventTypes.MeasureAnswered], Ct);
        Assert.Equal([adaPulse.Seq, benAnswer.Seq, benPulse.Seq, facilitatorPulse.Seq], both.Select(e => e.Seq));
        Assert.Empty(await Store.ReadOfTypesAsync(circle.Id, ["no-such-type"], Ct));
        Assert.Empty(await Store.ReadOfTypesAsync(Guid.NewGuid(), [EventTypes.SessionPulse], Ct));
    }

    [Fact]
    public async Task Offered_measures_load_back_from_the_circle_s_row_with_items_scale_bands_and_retirement()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var definition = new MeasureDraft(null, "Semana «tranquila»", "En los últimos 14 días, ¿con qué frecuencia…?", 14,
            [new(0, "Nunca"), new(1, "Algunos días"), new(2, "Más de la mitad"), new(3, "Casi cada día")],
            [new("Poco interés"), new("Me sentí bien", Reverse: true), new("Pensé en hacerme daño", SafetyThreshold: 1)],
            [new(0, 3, "leve"), new(4, 9, "moderada")]).Validate();
        var retiredAt = new DateTimeOffset(2026, 3, 20, 8, 15, 0, TimeSpan.FromHours(1));
        IReadOnlyList<OfferedMeasure> measures =
        [
            new(Guid.NewGuid(), definition, 14, Created.AddDays(1), retiredAt),
            new(Guid.NewGuid(), definition with { Name = "Second" }, 28, Created.AddDays(2)),
        ];

        var settings = new CircleFacilitation(RoundPrompts: ["¿Qué traes?"], Measures: measures);
        var commit = circle.NextCommit(facilitator) with { Facilitation = settings };
        circle.Stored(commit, await Store.CommitAsync(commit, Ct));
        var everyday = circle.NextCommit(facilitator);
        circle.Stored(everyday, await Store.CommitAsync(everyday, Ct));

        var loaded = (await Store.LoadAsync(circle.Id, Ct))!.Facilitation!;
        Assert.Equal(settings.RoundPrompts, loaded.RoundPrompts);
        Assert.Equal(2, loaded.Measures!.Count);
        foreach (var (expected, actual) in measures.Zip(loaded.Measures))
        {
            Assert.Equal(expected.MeasureId, actual.MeasureId);
            Assert.Equal(expected.EveryDays, actual.EveryDays);
            Assert.Equal(expected.OfferedAt, actual.OfferedAt);
            Assert.Equal(expected.RetiredAt, actual.RetiredAt);
            Assert.Equal(expected.IsOffered, actual.IsOffered);
            var (was, now) = (expected.Definition, actual.Definition);
            Assert.Equal(was.Name, now.Name);
            Assert.Equal(was.Instructions, now.Instructions);
            Assert.Equal(was.RecallDays, now.RecallDays);
            Assert.Equal(was.Scale, now.Scale);
            Assert.Equal(was.Items, now.Items);
            Assert.Equal(was.Bands, now.Bands);
            // Read the same way after the round trip: the reverse item turned, the safety item still one.
            Assert.Equal(was.Read([1, 0, 2]), now.Read([1, 0, 2]));
        }
        Assert.False(loaded.Measures[0].IsOffered);
        Assert.True(loaded.Measures[1].IsOffered);
        Assert.True(loaded.Measures[0].Definition.Items[2].IsSafetyItem);
        Assert.True(loaded.Measures[0].Definition.Read([0, 3, 1]).NeedsSupportNow);

        // Measures alone are settings too: the row keeps them without anything else set.
        var only = circle.NextCommit(facilitator) with { Facilitation = new CircleFacilitation(Measures: [measures[1]]) };
        circle.Stored(only, await Store.CommitAsync(only, Ct));
        Assert.Equal(measures[1].MeasureId, Assert.Single((await Store.LoadAsync(circle.Id, Ct))!.Facilitation!.Measures!).MeasureId);
    }

    [Fact]
    public async Task Erasing_turns_a_member_s_answers_opt_ins_and_pulses_into_tombstones_that_no_read_returns()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var ada = Person("Ada");
        var ben = Person("Ben");
        var circle = await NewCircleAsync(facilitator, ada, ben);
        var adaEntries = new List<CircleEvent>
        {
            await OptInAsync(circle, ada, share: true),
            await AnswerAsync(circle, ada),
            await AnswerAsync(circle, ada, first: null),
            await PulseAsync(circle, ada),
        };
        var benAnswer = await AnswerAsync(circle, ben);
        var benPulse = await PulseAsync(circle, ben);
        Assert.Equal(4, (await Store.ReadAuthoredAsync(circle.Id, ada.MemberId, Measured, Ct)).Count);

        var erased = await Store.EraseAuthoredAsync(circle.Id, ada.MemberId, Ct);

        Assert.Equal(adaEntries.Select(e => e.Seq), erased.Tombstones.Select(t => t.Tombstone.Seq).Where(adaEntries.Select(e => e.Seq).Contains));
        Assert.Empty(await Store.ReadAuthoredAsync(circle.Id, ada.MemberId, Measured, Ct));
        Assert.Equal([benAnswer.EventId, benPulse.EventId], (await Store.ReadOfTypesAsync(circle.Id, Measured, Ct)).Select(e => e.EventId));
        // Each keeps its place (seq, id, time and audience) and nothing else.
        var log = await Store.ReadEventsAsync(circle.Id, Viewer(facilitator), 0, 100, Ct);
        var tombstones = log.Where(e => adaEntries.Any(a => a.Seq == e.Seq)).ToList();
        Assert.Equal([adaEntries[0].Seq], tombstones.Select(e => e.Seq)); // the only one of hers that was for facilitators
        Assert.All(tombstones, t =>
        {
            Assert.Equal(EventTypes.Removed, t.Type);
            Assert.Equal("{}", t.PayloadJson);
            Assert.Equal(CircleEvent.RemovedAuthorId, t.MemberId);
        });
        Assert.DoesNotContain(await Store.ReadEventsAsync(circle.Id, Viewer(ada), 0, 100, Ct), e => e.MemberId == ada.MemberId && e.Type != EventTypes.MemberJoined);
        Assert.Equal([benAnswer.EventId, benPulse.EventId],
            (await Store.ReadAuthoredAsync(circle.Id, ben.MemberId, Measured, Ct)).Select(e => e.EventId));
    }

    [Fact]
    public async Task Nobody_but_their_author_reads_someone_s_answers_or_pulses_and_a_private_opt_in()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var coFacilitator = Person("Sam", CircleRole.Facilitator);
        var ada = Person("Ada");
        var ben = Person("Ben");
        var circle = await NewCircleAsync(facilitator, coFacilitator, ada, ben);
        var answer = await AnswerAsync(circle, ada);
        var pulse = await PulseAsync(circle, ada);
        var shared = await OptInAsync(circle, ada, share: true);
        var kept = await OptInAsync(circle, ben, share: false);
        var benPulse = await PulseAsync(circle, ben);

        foreach (var viewer in new[] { facilitator, coFacilitator, ben })
        {
            var seen = await Store.ReadEventsAsync(circle.Id, Viewer(viewer), 0, 100, Ct);
            Assert.DoesNotContain(seen, e => e.EventId == answer.EventId || e.EventId == pulse.EventId);
            Assert.DoesNotContain(seen, e => e.MemberId == ada.MemberId && e.Type is EventTypes.MeasureAnswered or EventTypes.SessionPulse);
        }
        foreach (var viewer in new[] { facilitator, coFacilitator, ada })
        {
            var seen = await Store.ReadEventsAsync(circle.Id, Viewer(viewer), 0, 100, Ct);
            Assert.DoesNotContain(seen, e => e.EventId == kept.EventId || e.EventId == benPulse.EventId);
        }
        // A shared opt-in reaches the facilitators, never another member.
        Assert.Contains(await Store.ReadEventsAsync(circle.Id, Viewer(facilitator), 0, 100, Ct), e => e.EventId == shared.EventId);
        Assert.DoesNotContain(await Store.ReadEventsAsync(circle.Id, Viewer(ben), 0, 100, Ct), e => e.EventId == shared.EventId);
        // Their author reads all of theirs.
        var own = await Store.ReadEventsAsync(circle.Id, Viewer(ada), 0, 100, Ct);
        Assert.Equal([answer.EventId, pulse.EventId, shared.EventId],
            own.Where(e => Measured.Contains(e.Type)).Select(e => e.EventId));
    }
}
