using BetweenSessions.Groups.Contracts.Circles;

namespace BetweenSessions.Groups.Grains.Tests.Measures;

/// <summary>Reading a person's measure entries when there are none: most people, as a facilitator reads a member's view.</summary>
public sealed class MeasureHistoryTests
{
    [Fact]
    public void Someone_who_never_chose_a_measure_has_no_consent_and_no_answers()
    {
        var measureId = Guid.NewGuid();
        Assert.Null(MeasureHistory.ConsentOf(measureId, []));
        Assert.Empty(MeasureHistory.AnswersOf(measureId, []));
    }
}
