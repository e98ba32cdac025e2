using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Commitments;

namespace BetweenSessions.Groups.Grains.Tests.Commitments;

/// <summary>
/// A cue time on a person's own clock across real DST changes (2026: Europe/Berlin 29 March and 25 October,
/// America/New_York 8 March and 1 November), and the validation of the time a member types.
/// </summary>
public sealed class CueScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Eight_oclock_in_Berlin_stays_eight_oclock_across_the_spring_change()
    {
        var cue = new TimeOnly(8, 0);
        var first = CueSchedule.Next(cue, Berlin, Utc(3, 27, 12));
        var second = CueSchedule.Next(cue, Berlin, first);
        var third = CueSchedule.Next(cue, Berlin, second);
        Assert.Equal([Utc(3, 28, 7), Utc(3, 29, 6), Utc(3, 30, 6)], [first, second, third]);
    }

    [Fact]
    public void Eight_oclock_in_Berlin_stays_eight_oclock_across_the_autumn_change()
    {
        var cue = new TimeOnly(8, 0);
        var first = CueSchedule.Next(cue, Berlin, Utc(10, 24, 0));
        var second = CueSchedule.Next(cue, Berlin, first);
        var third = CueSchedule.Next(cue, Berlin, second);
        Assert.Equal([Utc(10, 24, 6), Utc(10, 25, 7), Utc(10, 26, 7)], [first, second, third]);
    }

    [Fact]
    public void A_time_the_spring_change_skips_moves_forward_by_the_gap()
    {
        // 02:30 does not exist on those Sundays: it is read as 03:30 summer time, an hour after 01:30 as every day.
        Assert.Equal(Utc(3, 29, 1, 30), CueSchedule.On(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), Berlin));
        Assert.Equal(Utc(3, 8, 7, 30), CueSchedule.On(new DateOnly(2026, 3, 8), new TimeOnly(2, 30), NewYork));
        // And the day after is an ordinary 02:30 again.
        Assert.Equal(Utc(3, 30, 0, 30), CueSchedule.Next(new TimeOnly(2, 30), Berlin, Utc(3, 29, 1, 30)));
    }

    [Fact]
    public void A_time_that_happens_twice_in_autumn_is_the_first_and_comes_once_that_day()
    {
        var berlin = CueSchedule.Next(new TimeOnly(2, 30), Berlin, Utc(10, 24, 12));
        Assert.Equal(Utc(10, 25, 0, 30), berlin); // 02:30 summer time, the first of the two
        Assert.Equal(Utc(10, 26, 1, 30), CueSchedule.Next(new TimeOnly(2, 30), Berlin, berlin)); // not 02:30 again an hour later

        var newYork = CueSchedule.Next(new TimeOnly(1, 30), NewYork, Utc(10, 31, 12));
        Assert.Equal(Utc(11, 1, 5, 30), newYork); // 01:30 daylight time
        Assert.Equal(Utc(11, 2, 6, 30), CueSchedule.Next(new TimeOnly(1, 30), NewYork, newYork));
        // The day after the change, 08:00 is 08:00 standard time.
        Assert.Equal(Utc(11, 2, 13), CueSchedule.Next(new TimeOnly(8, 0), NewYork, Utc(11, 1, 13)));
    }

    [Fact]
    public void The_local_date_names_the_persons_own_day()
    {
        // 23:30 UTC on 1 March is already the 2nd in Auckland.
        var auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        Assert.Equal(new DateOnly(2026, 3, 2), CueSchedule.LocalDate(Utc(3, 1, 23, 30), auckland));
    }

    [Theory]
    [InlineData("08:00", "08:00")]
    [InlineData("8:00", "08:00")]
    [InlineData(" 19:30 ", "19:30")]
    [InlineData("00:00", "00:00")]
    [InlineData(null, null)]
    [InlineData("", null)]
    public void A_cue_time_is_hours_and_minutes_on_a_24_hour_clock(string? given, string? stored)
    {
        var valid = new MakeCommitmentDraft(null, "Stretch", "After brushing my teeth", null, "circle", given).Validate();
        Assert.Equal(stored, valid.CueTime is { } t ? CommitmentCue.ToWire(t) : null);
    }

    [Theory]
    [InlineData("8am")]
    [InlineData("24:00")]
    [InlineData("8:60")]
    [InlineData("08:00:00")]
    [InlineData("morning")]
    public void Anything_else_is_refused_with_a_clear_message(string given)
    {
        var ex = Assert.Throws<DomainValidationException>(() =>
            new MakeCommitmentDraft(null, "Stretch", "After brushing my teeth", null, "circle", given).Validate());
        Assert.Equal(["Give the cue's time as hours and minutes, 24-hour, such as 08:00 or 19:30."], ex.Errors["cueTime"]);
    }

    [Fact]
    public void Asking_for_a_reminder_needs_a_cue_time()
    {
        var ex = Assert.Throws<DomainValidationException>(() =>
            new MakeCommitmentDraft(null, "Stretch", "After brushing my teeth", null, "circle", null, RemindMe: true).Validate());
        Assert.Equal([CommitmentCue.NoTimeToRemind], ex.Errors["remindMe"]);
        var turning = Assert.Throws<DomainValidationException>(() => new SetCommitmentReminderDraft(Guid.NewGuid(), null).Validate());
        Assert.Contains("remindMe", turning.Errors.Keys);
    }
}
