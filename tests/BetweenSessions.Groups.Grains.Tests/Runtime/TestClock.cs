namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public static class TestClock
{
    /// <summary>Monday 5 January 2026, 09:00 UTC: where every fake clock of these tests starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Start);
}
