using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

public sealed class SessionCalendarTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static SessionSchedule Weekly(string cadence = "weekly", string weekday = "Thursday", string time = "19:00",
        string zone = "Europe/Berlin", string? startsOn = "2026-10-01") =>
        new SetSessionScheduleDraft(null, cadence, zone, weekday, time, 90, startsOn).Validate(new DateOnly(2026, 10, 1)).Schedule!;

    [Fact]
    public void A_weekly_1900_Berlin_session_stays_1900_local_across_the_autumn_change()
    {
        var sessions = SessionCalendar.Upcoming(Weekly(), Utc(2026, 10, 20, 0), 2);
        // Thursday 22 October is summer time (UTC+2), Thursday 29 October winter time (UTC+1): 19:00 local both times.
        Assert.Equal([Utc(2026, 10, 22, 17), Utc(2026, 10, 29, 18)], sessions.Select(s => s.Start));
        Assert.Equal(["2026-10-22T19:00", "2026-10-29T19:00"], sessions.Select(s => s.Key));
        Assert.All(sessions, s => Assert.Equal(TimeSpan.FromMinutes(90), s.End - s.Start));
    }

    [Fact]
    public void And_across_the_spring_change()
    {
        var sessions = SessionCalendar.Upcoming(Weekly(startsOn: "2027-03-01"), Utc(2027, 3, 20, 0), 2);
        // 28 March 2027 is the change in Berlin: Thursday 25 March is UTC+1, Thursday 1 April UTC+2.
        Assert.Equal([Utc(2027, 3, 25, 18), Utc(2027, 4, 1, 17)], sessions.Select(s => s.Start));
    }

    [Fact]
    public void A_session_under_way_is_still_the_next_one_until_it_ends()
    {
        var during = Utc(2026, 10, 22, 18); // 20:00 Berlin, the session ends 20:30
        Assert.Equal("2026-10-22T19:00", SessionCalendar.Next(Weekly(), during)!.Key);
        Assert.Equal("2026-10-29T19:00", SessionCalendar.Next(Weekly(), Utc(2026, 10, 22, 18, 30))!.Key);
    }

    [Fact]
    public void Fortnightly_counts_its_weeks_from_the_first_session()
    {
        var sessions = SessionCalendar.Upcoming(Weekly("fortnightly", startsOn: "2026-10-01"), Utc(2026, 10, 10, 0), 3);
        Assert.Equal(["2026-10-15T19:00", "2026-10-29T19:00", "2026-11-12T19:00"], sessions.Select(s => s.Key));
    }

    [Fact]
    public void Nothing_comes_before_the_first_session()
    {
        var sessions = SessionCalendar.Upcoming(Weekly(startsOn: "2026-11-20"), Utc(2026, 10, 1, 0), 1);
        Assert.Equal("2026-11-26T19:00", Assert.Single(sessions).Key);
    }

    [Fact]
    public void A_cancelled_session_is_skipped_a_moved_one_happens_at_its_new_time_an_added_one_appears()
    {
        var schedule = Weekly() with
        {
            Cancelled = [new DateTime(2026, 10, 22, 19, 0, 0)],
            Moved = [new SessionMove(new DateTime(2026, 10, 29, 19, 0, 0), new DateTime(2026, 10, 30, 18, 0, 0))],
            Added = [new DateTime(2026, 10, 24, 10, 0, 0)],
        };
        var sessions = SessionCalendar.Upcoming(schedule, Utc(2026, 10, 20, 0), 3);
        Assert.Equal(["2026-10-24T10:00", "2026-10-29T19:00", "2026-11-05T19:00"], sessions.Select(s => s.Key));
        // The moved session keeps its name, at 18:00 Berlin winter time on the Friday.
        Assert.Equal(Utc(2026, 10, 30, 17), sessions[1].Start);
    }

    [Fact]
    public void A_session_moved_later_from_the_past_is_still_ahead()
    {
        var schedule = Weekly() with { Moved = [new SessionMove(new DateTime(2026, 10, 1, 19, 0, 0), new DateTime(2026, 12, 1, 19, 0, 0))] };
        Assert.Contains(SessionCalendar.Upcoming(schedule, Utc(2026, 11, 25, 0), 3), s => s.Key == "2026-10-01T19:00");
    }

    [Fact]
    public void Chosen_dates_are_the_only_sessions()
    {
        var schedule = new SetSessionScheduleDraft(null, "dates", "America/New_York",
            Dates: ["2026-11-30T18:00", "2026-11-02T18:30"]).Validate(new DateOnly(2026, 10, 1)).Schedule!;
        var sessions = SessionCalendar.Upcoming(schedule, Utc(2026, 10, 1, 0), 5);
        // New York leaves summer time on 1 November 2026: the first date is UTC-5.
        Assert.Equal([Utc(2026, 11, 2, 23, 30), Utc(2026, 11, 30, 23)], sessions.Select(s => s.Start));
    }

    [Theory]
    [InlineData("sometimes", "Europe/Berlin", "Thursday", "19:00", 90, "cadence")]
    [InlineData("weekly", "Mars/Olympus", "Thursday", "19:00", 90, "timeZone")]
    [InlineData("weekly", "Europe/Berlin", "Someday", "19:00", 90, "weekday")]
    [InlineData("weekly", "Europe/Berlin", "7", "19:00", 90, "weekday")]
    [InlineData("weekly", "Europe/Berlin", "Thursday", "25:00", 90, "time")]
    [InlineData("weekly", "Europe/Berlin", "Thursday", "19:00", 5, "durationMinutes")]
    [InlineData("dates", "Europe/Berlin", null, null, 90, "dates")]
    public void Bad_schedules_are_refused_with_the_field_named(string cadence, string zone, string? weekday, string? time, int minutes, string field)
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            new SetSessionScheduleDraft(null, cadence, zone, weekday, time, minutes).Validate(new DateOnly(2026, 10, 1)));
        Assert.Contains(field, error.Errors.Keys);
    }
}
