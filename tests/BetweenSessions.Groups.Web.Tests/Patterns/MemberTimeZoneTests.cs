using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Components;
using BetweenSessions.Groups.Web.Components.Patterns;

namespace BetweenSessions.Groups.Web.Tests.Patterns;

/// <summary>
/// "My patterns" reads weekdays and times of day by the member's own clock: the same check-ins are a Wednesday
/// morning for someone in Auckland and a Tuesday afternoon for someone in New York, and daylight saving changes
/// the offset, not the evening.
/// </summary>
public sealed class MemberTimeZoneTests
{
    private const string Me = "member-me";
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private long _seq;

    [Fact]
    public void The_same_check_ins_fall_on_different_weekdays_and_times_of_day_in_two_zones()
    {
        // Two Tuesdays at 20:00 UTC: Wednesday 09:00 in Auckland (daylight time, +13), Tuesday 15:00 in New York (-5).
        var events = new[]
        {
            CheckIn(new DateTimeOffset(2026, 11, 10, 20, 0, 0, TimeSpan.Zero), Capacity.Steady),
            CheckIn(new DateTimeOffset(2026, 11, 17, 20, 0, 0, TimeSpan.Zero), Capacity.Open),
        };
        var now = new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);

        var auckland = CapacityPatterns.Build(events, Me, now, Auckland);
        var newYork = CapacityPatterns.Build(events, Me, now, NewYork);

        Assert.Equal(["Wednesdays"], auckland.SteadyWeekdays);
        Assert.Equal(["mornings"], auckland.SteadyTimesOfDay);
        Assert.Equal([new DateOnly(2026, 11, 18), new DateOnly(2026, 11, 11)], auckland.Days.Select(d => d.Date));
        Assert.Equal(new DateTime(2026, 11, 19), auckland.To); // already Thursday there

        Assert.Equal(["Tuesdays"], newYork.SteadyWeekdays);
        Assert.Equal(["afternoons"], newYork.SteadyTimesOfDay);
        Assert.Equal([new DateOnly(2026, 11, 17), new DateOnly(2026, 11, 10)], newYork.Days.Select(d => d.Date));
        Assert.Equal(new DateTime(2026, 11, 18), newYork.To);
    }

    [Fact]
    public void Evenings_stay_evenings_across_the_end_of_daylight_saving()
    {
        // 21:30 every evening in Auckland from 30 March to 10 April 2026; daylight saving ends on Sunday 5 April at
        // 03:00, so the instants move from 08:30 UTC (+13) to 09:30 UTC (+12). A fixed offset would call the later
        // ones nights (22:30).
        var evenings = Enumerable.Range(0, 12)
            .Select(i => new DateTime(2026, 3, 30, 21, 30, 0).AddDays(i))
            .Select(local => new DateTimeOffset(local, Auckland.GetUtcOffset(local)).ToUniversalTime())
            .ToList();
        Assert.Equal(TimeSpan.FromHours(8.5), evenings[0].TimeOfDay);
        Assert.Equal(TimeSpan.FromHours(9.5), evenings[^1].TimeOfDay);
        var events = evenings.Select(at => CheckIn(at, Capacity.Steady)).ToArray();
        var now = new DateTimeOffset(2026, 4, 12, 0, 0, 0, TimeSpan.Zero);

        var auckland = CapacityPatterns.Build(events, Me, now, Auckland);
        var utc = CapacityPatterns.Build(events, Me, now, TimeZoneInfo.Utc);

        Assert.Equal(["evenings"], auckland.SteadyTimesOfDay);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => new DateOnly(2026, 3, 30).AddDays(i)), auckland.Days.Select(d => d.Date).Reverse());
        Assert.Equal(["mornings"], utc.SteadyTimesOfDay);
    }

    [Fact]
    public void Each_instant_is_read_with_the_offset_in_force_at_that_moment()
    {
        // 11:30 UTC on 4 April is 00:30 on Sunday 5 April in Auckland (still +13); 11:30 UTC on 5 April is 23:30 that
        // same Sunday (+12 by then). In UTC they are a Saturday and a Sunday.
        var events = new[]
        {
            CheckIn(new DateTimeOffset(2026, 4, 4, 11, 30, 0, TimeSpan.Zero), Capacity.Steady),
            CheckIn(new DateTimeOffset(2026, 4, 5, 11, 30, 0, TimeSpan.Zero), Capacity.Open),
        };
        var now = new DateTimeOffset(2026, 4, 12, 0, 0, 0, TimeSpan.Zero);

        var auckland = CapacityPatterns.Build(events, Me, now, Auckland);
        var utc = CapacityPatterns.Build(events, Me, now, TimeZoneInfo.Utc);

        Assert.Equal(["Sundays"], auckland.SteadyWeekdays);
        Assert.Equal(["nights"], auckland.SteadyTimesOfDay);
        Assert.Equal([new DateOnly(2026, 4, 5)], auckland.Days.Select(d => d.Date));
        Assert.Equal(["Saturdays", "Sundays"], utc.SteadyWeekdays);
        Assert.Equal(["mornings"], utc.SteadyTimesOfDay);
    }

    [Fact]
    public void The_zone_saved_in_settings_comes_before_the_browsers()
    {
        var saved = new MemberSettings(TimeZoneId: "Pacific/Auckland", Saved: true);

        var choice = MemberTimeZone.Choose(saved, "Europe/Berlin");

        Assert.Equal(MemberTimeZone.Source.Settings, choice.From);
        Assert.Equal("Pacific/Auckland", choice.Id);
        Assert.Equal(Auckland.BaseUtcOffset, choice.Zone.BaseUtcOffset);
        Assert.Equal("Days and times of day here are in Auckland time (Pacific/Auckland), the time zone in your settings.", choice.Description);
    }

    [Fact]
    public void UTC_saved_on_purpose_is_still_the_members_own_choice()
    {
        var choice = MemberTimeZone.Choose(new MemberSettings(TimeZoneId: "UTC", Saved: true), "Europe/Berlin");
        Assert.Equal(MemberTimeZone.Source.Settings, choice.From);
        Assert.Equal(TimeSpan.Zero, choice.Zone.BaseUtcOffset);
    }

    [Fact]
    public void Without_saved_settings_the_browsers_zone_is_used_and_the_page_says_so()
    {
        // Never saved: the stored default (UTC) is not a choice the member made.
        var choice = MemberTimeZone.Choose(MemberSettings.Default, "America/Argentina/Buenos_Aires");

        Assert.Equal(MemberTimeZone.Source.Browser, choice.From);
        Assert.Equal("America/Argentina/Buenos_Aires", choice.Id);
        Assert.Contains("Buenos Aires time (America/Argentina/Buenos_Aires), the time zone of this device", choice.Description);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Central Europe Standard Time")] // a Windows id is not what browsers report
    public void An_unknown_browser_zone_falls_back_to_UTC_and_the_page_says_so(string? browserZone)
    {
        var choice = MemberTimeZone.Choose(MemberSettings.Default, browserZone);

        Assert.Equal(MemberTimeZone.Source.Fallback, choice.From);
        Assert.Equal(TimeZoneInfo.Utc, choice.Zone);
        Assert.Contains("UTC (Coordinated Universal Time)", choice.Description);
        Assert.Contains("did not tell us its time zone", choice.Description);
    }

    private CircleEvent CheckIn(DateTimeOffset at, string capacity) =>
        new(Guid.Empty, ++_seq, Guid.NewGuid(), EventTypes.CheckIn, at, Me, "Me", Visibility.Circle, null,
            JsonSerializer.Serialize(new { capacity, feelings = Array.Empty<string>(), note = (string?)null }));
}
