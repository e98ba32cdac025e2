using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Measures;

/// <summary>
/// Measures are entries like the others for leaving and erasure. Fran facilitates a circle that meets Mondays at
/// 19:00 (London, UTC in January); Mia, Ari and Sam are members. Mia shares "Week check" with Fran; after Monday's
/// session (over at 20:30) all three give the pulse. The clock starts Monday 5 January 2026, 09:00 UTC.
/// </summary>
public sealed class MeasureErasureTests
{
    private static readonly DateTimeOffset AfterSession = new(2026, 1, 5, 20, 45, 0, TimeSpan.Zero);
    private const string Session = "2026-01-05T19:00";

    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryCircleStore _store = new();
    private readonly Guid _circleId = Guid.NewGuid();
    private Guid _measureId;

    private static readonly IReadOnlyCollection<string> MeasureEntries =
        [EventTypes.MeasureOptedIn, EventTypes.MeasureStopped, EventTypes.MeasureAnswered, EventTypes.SessionPulse];

    private ICircleGrain Circle(GroupsGrainHost host) => host.Grains.GetGrain<ICircleGrain>(_circleId);

    private static string Id() => Guid.NewGuid().ToString("N");

    private async Task<GroupsGrainHost> CircleAfterPulses()
    {
        var host = await CircleTestHost.StartAsync(_store, _clock);
        var circle = Circle(host);
        var created = await circle.CreateAsync("fran", "Fran", "Monday group");
        foreach (var (id, name) in new[] { ("mia", "Mia"), ("ari", "Ari"), ("sam", "Sam") })
            await circle.JoinAsync(id, name, created.InviteCode!);
        await circle.SetSessionScheduleAsync("fran", new(Id(), "weekly", "Europe/London", "Monday", "19:00", 90));
        await circle.OfferMeasureAsync("fran", new OfferMeasureDraft(Id(), new MeasureDraft(
            null, "Week check", null, 7,
            [new(0, "Not at all"), new(1, "Some days"), new(2, "Most days"), new(3, "Every day")],
            [new("Felt tense"), new("Slept badly")],
            [new(0, 2, "quiet"), new(3, 6, "more")]), 7));
        _measureId = (await circle.GetMeasuresAsync("fran")).Measures.Single().Measure.MeasureId;

        await circle.OptInMeasureAsync("mia", new OptInMeasureDraft(Id(), _measureId, ShareWithFacilitators: true));
        await circle.AnswerMeasureAsync("mia", new AnswerMeasureDraft(Id(), _measureId, false, [1, 2]));
        await host.UntilAsync(AfterSession);
        await circle.AnswerMeasureAsync("mia", new AnswerMeasureDraft(Id(), _measureId, true, null));
        await circle.AnswerPulseAsync("mia", new SessionPulseDraft(Id(), Session, 4, 5, null, "lighter"));
        await circle.AnswerPulseAsync("ari", new SessionPulseDraft(Id(), Session, 3, 4, 2, null));
        await circle.AnswerPulseAsync("sam", new SessionPulseDraft(Id(), Session, 5, 4, 3, null));

        // Before: Fran reads Mia's shared trend, and the pulse reads as a distribution of three.
        var shared = Assert.Single((await circle.GetMeasuresAsync("fran", "mia")).Measures);
        Assert.Equal(2, shared.Answers.Count);
        var summary = Assert.Single(await circle.GetPulseSummariesAsync("fran", 5));
        Assert.Equal(3, summary.Answers);
        Assert.NotNull(summary.Heard);
        return host;
    }

    private async Task MiasEntriesAreTombstonesOnly(GroupsGrainHost host)
    {
        Assert.Empty(await _store.ReadAuthoredAsync(_circleId, "mia", MeasureEntries, TestContext.Current.CancellationToken));
        Assert.DoesNotContain(await _store.ReadOfTypesAsync(_circleId, MeasureEntries, TestContext.Current.CancellationToken),
            e => e.MemberId == "mia");
        Assert.DoesNotContain(_store.Events(_circleId), e => e.MemberId == "mia" || e.PayloadJson.Contains("lighter"));
        // Two answers, the opt-in and the pulse: each kept its place in the log as a tombstone that names nobody.
        Assert.True(_store.Events(_circleId).Count(e => e.Type == EventTypes.Removed) >= 4);

        // The pulse no longer counts: two answers left, too few to show any distribution.
        var summary = Assert.Single(await Circle(host).GetPulseSummariesAsync("fran", 5));
        Assert.Equal(2, summary.Answers);
        Assert.Null(summary.Heard);
        Assert.Null(summary.Safe);
        Assert.Null(summary.Mattered);
    }

    [Fact]
    public async Task Erasing_turns_a_member_s_answers_opt_in_and_pulse_into_tombstones_and_their_facilitator_reads_nothing_of_them()
    {
        await using var host = await CircleAfterPulses();

        await Circle(host).EraseAuthoredAsync("mia");

        await MiasEntriesAreTombstonesOnly(host);
        Assert.Empty((await Circle(host).GetMeasuresAsync("fran", "mia")).Measures);
        // Her own view: the measure is still offered to her, with no choice and no answers of hers left.
        var own = await Circle(host).GetMeasuresAsync("mia");
        var measure = Assert.Single(own.Measures);
        Assert.Null(measure.Consent);
        Assert.Empty(measure.Answers);
        Assert.Null(measure.NextDue);
        Assert.Empty(own.Pulses);
        // Others' answers are theirs, untouched.
        Assert.Single((await Circle(host).GetMeasuresAsync("ari")).Pulses);
    }

    [Fact]
    public async Task Leaving_puts_a_member_s_measures_out_of_reach_and_erasing_afterwards_leaves_only_tombstones()
    {
        await using var host = await CircleAfterPulses();

        await Circle(host).LeaveAsync("mia");
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle(host).GetMeasuresAsync("fran", "mia"));

        await Circle(host).EraseAuthoredAsync("mia");

        await MiasEntriesAreTombstonesOnly(host);
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle(host).GetMeasuresAsync("fran", "mia"));
    }
}
