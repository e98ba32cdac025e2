namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// A grain that owns durable reminders. The runtime activates it (if needed) and calls this as a turn when a tick is
/// due, on whichever host claims the tick first. (Orleans: the same interface in Orleans.)
/// </summary>
public interface IRemindable
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>
/// One tick: when the reminder first fell due, its period (<see cref="Timeout.InfiniteTimeSpan"/> for a one-shot
/// reminder) and the instant this tick was scheduled for. CurrentTickTime is the schedule, not the clock, so it is
/// the same on every host and after a restart: a grain can key what it does on it.
/// </summary>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

public interface IGrainReminder
{
    string ReminderName { get; }
}

/// <summary>
/// A stored reminder. NextDue is the tick that has not fired yet; ETag changes with every write, so a host that
/// claims a tick (<see cref="IReminderTable.TryAdvanceAsync"/>) with an old ETag loses to whoever wrote first.
/// </summary>
public sealed record ReminderEntry(
    GrainId GrainId, string ReminderName, DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset NextDue, string ETag)
    : IGrainReminder
{
    public bool IsOneShot => Period == Timeout.InfiniteTimeSpan;

    /// <summary>The first tick of the schedule after <paramref name="now"/>; missed ticks are skipped, as in Orleans.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset now)
    {
        if (IsOneShot) return null;
        var missed = Math.Max(1, (now - NextDue).Ticks / Period.Ticks + 1);
        return NextDue + TimeSpan.FromTicks(Period.Ticks * missed);
    }
}

/// <summary>
/// Where reminders are kept (Orleans: IReminderTable). Every write is durable when its task completes. Instants are
/// whole milliseconds, so what a host holds compares equal to what every database returns.
/// </summary>
public interface IReminderTable
{
    Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName);

    Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId);

    /// <summary>Reminders whose next tick is at or before <paramref name="until"/>, earliest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset until, int max);

    /// <summary>The earliest next tick of any reminder, or null when there are none.</summary>
    Task<DateTimeOffset?> NextDueAsync();

    /// <summary>Creates or replaces the reminder; its next tick is <paramref name="firstTick"/>.</summary>
    Task<ReminderEntry> UpsertAsync(GrainId grainId, string reminderName, DateTimeOffset firstTick, TimeSpan period);

    Task<bool> RemoveAsync(GrainId grainId, string reminderName);

    /// <summary>
    /// Records the tick <paramref name="fired"/>.NextDue as fired, only if the stored reminder still has fired's ETag:
    /// the next tick becomes <paramref name="nextDue"/>, or the reminder is deleted when that is null. False when
    /// someone else fired or changed it first; the caller must then not deliver the tick.
    /// </summary>
    Task<bool> TryAdvanceAsync(ReminderEntry fired, DateTimeOffset? nextDue);
}

public static class ReminderTime
{
    /// <summary>Instants as stored: whole milliseconds, UTC.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}

/// <summary>Reminders in memory, shared by every runtime given the same instance: development and tests only.</summary>
public sealed class MemoryReminderTable : IReminderTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId, string), ReminderEntry> _entries = [];
    private long _version;

    public Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName)
    {
        lock (_lock) return Task.FromResult(_entries.GetValueOrDefault((grainId, reminderName)));
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(
                _entries.Values.Where(e => e.GrainId == grainId).OrderBy(e => e.ReminderName, StringComparer.Ordinal).ToList());
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset until, int max)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(
                _entries.Values.Where(e => e.NextDue <= until).OrderBy(e => e.NextDue).Take(max).ToList());
    }

    public Task<DateTimeOffset?> NextDueAsync()
    {
        lock (_lock) return Task.FromResult(_entries.Count == 0 ? null : (DateTimeOffset?)_entries.Values.Min(e => e.NextDue));
    }

    public Task<ReminderEntry> UpsertAsync(GrainId grainId, string reminderName, DateTimeOffset firstTick, TimeSpan period)
    {
        firstTick = ReminderTime.Normalize(firstTick);
        lock (_lock)
        {
            var entry = new ReminderEntry(grainId, reminderName, firstTick, period, firstTick, (++_version).ToString());
            _entries[(grainId, reminderName)] = entry;
            return Task.FromResult(entry);
        }
    }

    public Task<bool> RemoveAsync(GrainId grainId, string reminderName)
    {
        lock (_lock) return Task.FromResult(_entries.Remove((grainId, reminderName)));
    }

    public Task<bool> TryAdvanceAsync(ReminderEntry fired, DateTimeOffset? nextDue)
    {
        lock (_lock)
        {
            var key = (fired.GrainId, fired.ReminderName);
            if (!_entries.TryGetValue(key, out var stored) || stored.ETag != fired.ETag) return Task.FromResult(false);
            if (nextDue is { } next)
                _entries[key] = stored with { NextDue = ReminderTime.Normalize(next), ETag = (++_version).ToString() };
            else
                _entries.Remove(key);
            return Task.FromResult(true);
        }
    }
}
