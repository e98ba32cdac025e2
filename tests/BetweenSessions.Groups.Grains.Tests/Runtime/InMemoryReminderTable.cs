namespace BetweenSessions.Groups.Grains.Tests.Runtime;

/// <summary>
/// An Orleans reminder table in memory, owned by a test so that it outlives a silo: a second silo started over it
/// finds the reminders the first one registered, as it would find them in the database.
/// </summary>
public sealed class InMemoryReminderTable : IReminderTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId Grain, string Name), ReminderEntry> _rows = new();

    /// <summary>Every reminder, copied.</summary>
    public IReadOnlyList<ReminderEntry> All()
    {
        lock (_lock) return _rows.Values.Select(Copy).ToList();
    }

    /// <summary>The instant the reminder is armed for (a one-shot's first tick), or null when there is none.</summary>
    public DateTimeOffset? ArmedFor(GrainId grainId, string reminderName)
    {
        lock (_lock)
            return _rows.TryGetValue((grainId, reminderName), out var row) ? new DateTimeOffset(row.StartAt.Ticks, TimeSpan.Zero) : null;
    }

    /// <summary>Every reminder of that name, with the instant it is armed for.</summary>
    public IReadOnlyList<(GrainId Grain, DateTimeOffset ArmedFor)> Named(string reminderName)
    {
        lock (_lock)
            return _rows.Values.Where(r => r.ReminderName == reminderName)
                .Select(r => (r.GrainId, new DateTimeOffset(r.StartAt.Ticks, TimeSpan.Zero))).ToList();
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        lock (_lock) return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId == grainId).Select(Copy).ToList()));
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        lock (_lock)
            return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(Copy).ToList()));
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        lock (_lock) return Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? Copy(row) : null);
    }

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        var stored = Copy(entry);
        stored.ETag = Guid.NewGuid().ToString("N");
        lock (_lock) _rows[(entry.GrainId, entry.ReminderName)] = stored;
        return Task.FromResult<string?>(stored.ETag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue((grainId, reminderName), out var row) || row.ETag != eTag) return Task.FromResult(false);
            _rows.Remove((grainId, reminderName));
            return Task.FromResult(true);
        }
    }

    public Task TestOnlyClearTable()
    {
        lock (_lock) _rows.Clear();
        return Task.CompletedTask;
    }

    // Orleans' ring ranges: (begin, end], wrapping; begin == end is the whole ring.
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Copy(ReminderEntry e) => new()
    {
        GrainId = e.GrainId, ReminderName = e.ReminderName, StartAt = DateTime.SpecifyKind(e.StartAt, DateTimeKind.Utc), Period = e.Period, ETag = e.ETag,
    };
}
