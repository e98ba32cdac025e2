using System.Text.Json;
using System.Text.RegularExpressions;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Web.Components.Patterns;

namespace BetweenSessions.Groups.Web.Tests.Patterns;

/// <summary>The pure aggregation behind "My patterns": only the member's own check-ins, patterns not performance.</summary>
public sealed class CapacityPatternsTests
{
    private const string Me = "member-me";
    private const string Other = "member-other";
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    // A Wednesday, mid-afternoon.
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);
    private long _seq;

    [Fact]
    public void Only_the_members_own_check_ins_count_whatever_their_audience()
    {
        var events = new[]
        {
            CheckIn(Me, Now.AddDays(-1), Capacity.Steady, ["calm"], Visibility.Private),
            CheckIn(Me, Now.AddDays(-2), Capacity.Low, ["tired"], Visibility.Facilitators),
            CheckIn(Other, Now.AddDays(-1), Capacity.Open, ["elated"], Visibility.Circle),
            CheckIn(Other, Now, Capacity.Resting, ["someone else's word"], Visibility.Facilitators),
            Event(Me, EventTypes.WinShared, Now, new { text = "not a check-in" }),
        };

        var picture = CapacityPatterns.Build(events, Me, Now, Utc);

        Assert.Equal(2, picture.Points.Count);
        Assert.Equal(["calm", "tired"], picture.Words.Select(w => w.Text).Order());
        Assert.DoesNotContain(picture.Words, w => w.Text is "elated" or "someone else's word");
        Assert.All(picture.Days, d => Assert.DoesNotContain(Capacity.Open, d.Capacities));
    }

    [Fact]
    public void Capacity_sits_on_the_ordered_scale_and_a_day_without_a_check_in_is_simply_absent()
    {
        var events = new[]
        {
            CheckIn(Me, Now.AddDays(-10), Capacity.Resting),
            CheckIn(Me, Now.AddDays(-3), Capacity.Open),
            CheckIn(Me, Now.AddDays(-3).AddHours(-4), Capacity.Some),
        };

        var picture = CapacityPatterns.Build(events, Me, Now, Utc);

        Assert.Equal([0, 1, 2, 3, 4], Capacity.All.Select(CapacityPatterns.Level));
        Assert.Equal([0, 2, 4], picture.Points.Select(p => p.Level));
        Assert.Equal([Now.Date.AddDays(-3), Now.Date.AddDays(-10)], picture.Days.Select(d => d.Date.ToDateTime(TimeOnly.MinValue)));
        Assert.Equal(2, picture.Days.Count); // no zero-filled days: gaps are gaps
        Assert.Equal(Now.Date, picture.To);
        Assert.Equal(Now.Date.AddDays(-(CapacityPatterns.WindowDays - 1)), picture.From);
    }

    [Fact]
    public void Check_ins_older_than_the_window_are_left_out()
    {
        var picture = CapacityPatterns.Build([CheckIn(Me, Now.AddDays(-CapacityPatterns.WindowDays - 1), Capacity.Steady, ["old"])], Me, Now, Utc);
        Assert.True(picture.IsEmpty);
        Assert.Empty(picture.Words);
    }

    [Fact]
    public void Steady_and_open_moments_give_the_weekdays_and_times_of_day_most_often_first()
    {
        var tuesdayMorning = new DateTimeOffset(2026, 11, 17, 9, 0, 0, TimeSpan.Zero);
        var events = new[]
        {
            CheckIn(Me, tuesdayMorning, Capacity.Steady),
            CheckIn(Me, tuesdayMorning.AddDays(-7), Capacity.Open),
            CheckIn(Me, tuesdayMorning.AddDays(-2).AddHours(10), Capacity.Steady), // Sunday evening
            CheckIn(Me, tuesdayMorning.AddDays(-1), Capacity.Resting), // Monday: resting is not "most like myself"
        };

        var picture = CapacityPatterns.Build(events, Me, Now, Utc);

        Assert.Equal(["Tuesdays", "Sundays"], picture.SteadyWeekdays);
        Assert.Equal(["mornings", "evenings"], picture.SteadyTimesOfDay);
    }

    [Fact]
    public void Feeling_words_are_ordered_by_use_without_case_and_sized_without_numbers()
    {
        var events = new[]
        {
            CheckIn(Me, Now.AddDays(-5), Capacity.Some, ["Calm", "tired"]),
            CheckIn(Me, Now.AddDays(-4), Capacity.Some, ["calm", "hopeful"]),
            CheckIn(Me, Now.AddDays(-3), Capacity.Some, ["calm ", "hopeful"]),
            CheckIn(Me, Now.AddDays(-2), Capacity.Some, ["tender"]),
        };

        var words = CapacityPatterns.Build(events, Me, Now, Utc).Words;

        Assert.Equal(["calm", "hopeful", "tender", "tired"], words.Select(w => w.Text));
        Assert.Equal([3, 3, 2, 2], words.Select(w => w.Size));
    }

    [Fact]
    public void Unreadable_payloads_are_left_out_not_guessed()
    {
        var events = new[]
        {
            Event(Me, EventTypes.CheckIn, Now, new { capacity = "brilliant" }),
            new CircleEvent(Guid.Empty, ++_seq, Guid.NewGuid(), EventTypes.CheckIn, Now, Me, "Me", Visibility.Circle, null, "not json"),
            CheckIn(Me, Now, Capacity.Low),
        };
        Assert.Single(CapacityPatterns.Build(events, Me, Now, Utc).Points);
    }

    [Fact]
    public void Nothing_in_the_picture_is_a_percentage_a_streak_a_score_or_a_miss()
    {
        var events = Enumerable.Range(0, 40)
            .Select(i => CheckIn(Me, Now.AddDays(-i).AddHours(-(i % 12)), Capacity.All[i % 5], [$"word{(char)('a' + i % 7)}"]))
            .ToList();

        var picture = CapacityPatterns.Build(events, Me, Now, Utc);
        var text = string.Join("\n", picture.Words.Select(w => w.Text)
            .Concat(picture.SteadyWeekdays).Concat(picture.SteadyTimesOfDay)
            .Concat(picture.Days.SelectMany(d => d.Capacities.Select(Capacity.Describe))));

        Assert.DoesNotContain("%", text);
        Assert.DoesNotMatch(new Regex(@"\d"), text);
        Assert.DoesNotMatch(new Regex("streak|missed|score|percent|in a row", RegexOptions.IgnoreCase), text);
        Assert.True(picture.Words.Count <= CapacityPatterns.MaxWords);
        Assert.All(picture.Words, w => Assert.InRange(w.Size, 1, 3));
    }

    private CircleEvent CheckIn(string member, DateTimeOffset at, string capacity, string[]? feelings = null, Visibility visibility = Visibility.Circle) =>
        Event(member, EventTypes.CheckIn, at, new { capacity, feelings = feelings ?? [], note = (string?)null }, visibility);

    private CircleEvent Event(string member, string type, DateTimeOffset at, object payload, Visibility visibility = Visibility.Circle) =>
        new(Guid.Empty, ++_seq, Guid.NewGuid(), type, at, member, member, visibility, null, JsonSerializer.Serialize(payload));
}
