using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Tests.Measures;

/// <summary>A person's choice for a measure read from what they wrote, including when they never chose at all (most people).</summary>
public sealed class MeasureHistoryTests
{
    private static readonly Guid Measure = Guid.NewGuid();
    private static long _seq;

    private static CircleEvent Choice(string type, bool share, Guid? measureId = null) =>
        new(Guid.NewGuid(), ++_seq, Guid.NewGuid(), type, DateTimeOffset.UtcNow.AddMinutes(_seq), "kim", "Kim", Visibility.Private, null,
            EventPayload.Serialize(new MeasureChoicePayload(measureId ?? Measure, share)));

    [Fact]
    public void Someone_who_never_chose_has_no_choice_and_no_answers_rather_than_an_error()
    {
        Assert.Null(MeasureHistory.ConsentOf(Measure, []));
        Assert.Empty(MeasureHistory.AnswersOf(Measure, []));
        Assert.Null(MeasureHistory.ConsentOf(Measure, [Choice(EventTypes.MeasureOptedIn, true, Guid.NewGuid())]));
    }

    [Fact]
    public void The_latest_choice_says_whom_it_is_shared_with_from_the_first_opt_in_on_and_stopping_ends_it()
    {
        var shared = Choice(EventTypes.MeasureOptedIn, true);
        var kept = Choice(EventTypes.MeasureOptedIn, false);
        Assert.Equal(new MeasureConsent(shared.At, false), MeasureHistory.ConsentOf(Measure, [shared, kept]));
        Assert.Null(MeasureHistory.ConsentOf(Measure, [shared, kept, Choice(EventTypes.MeasureStopped, false)]));
    }
}
