using Orleans.Reminders.Diagnostics;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

/// <summary>
/// Follows one silo's reminder service through Orleans' reminder diagnostic events: which local reminders are waiting
/// for their next tick on the clock, which ticks are being delivered, and every tick delivered so far. Tests run in
/// parallel in one process, so only events of this probe's silo count.
/// </summary>
internal sealed class ReminderProbe : IObserver<ReminderEvents.ReminderEvent>, IObserver<ReminderEvents.ReminderServiceEvent>, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<object, Local> _locals = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(GrainId, string), int> _delivering = new();
    private readonly List<Tick> _ticks = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _events;
    private readonly IDisposable _serviceEvents;
    private SiloAddress? _silo;

    public ReminderProbe()
    {
        _events = ReminderEvents.AllEvents.Subscribe(this);
        _serviceEvents = ReminderEvents.ServiceEvents.Subscribe(this);
    }

    /// <summary>A tick handed to a grain: when (<see cref="TickStatus.CurrentTickTime"/>) and for which arming.</summary>
    public sealed record Tick(GrainId Grain, string Name, DateTime FirstTickTime, DateTime CurrentTickTime, bool Failed);

    private sealed class Local(GrainId grain, string name)
    {
        public GrainId Grain { get; } = grain;
        public string Name { get; } = name;
        public long Latest { get; set; }
        public long Armed { get; set; } = -1;
    }

    public SiloAddress Silo
    {
        set
        {
            lock (_lock) _silo = value;
        }
    }

    public Task Started => _started.Task;

    /// <summary>
    /// No tick is being delivered and every local reminder waits on the clock for its latest schedule: moving the clock
    /// now fires exactly the ticks due by then.
    /// </summary>
    public bool Settled
    {
        get
        {
            lock (_lock) return _delivering.Count == 0 && _locals.Values.All(l => l.Armed >= l.Latest);
        }
    }

    public IReadOnlyList<Tick> Ticks
    {
        get
        {
            lock (_lock) return _ticks.ToList();
        }
    }

    public string Describe()
    {
        lock (_lock)
            return $"delivering: [{string.Join(", ", _delivering.Keys)}]; waiting: [{string.Join(", ", _locals.Values.Select(l => $"{l.Grain}/{l.Name} armed {l.Armed} of {l.Latest}"))}]";
    }

    public void OnNext(ReminderEvents.ReminderServiceEvent value)
    {
        if (value is ReminderEvents.ReminderServiceStarted && Mine(value.SiloAddress)) _started.TrySetResult();
    }

    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        lock (_lock)
        {
            if (_silo is null || !_silo.Equals(value.SiloAddress)) return;
            var key = (value.GrainId, value.ReminderName);
            switch (value)
            {
                case ReminderEvents.LocalReminderStarted started:
                    LocalOf(started.Identity, value);
                    break;
                case ReminderEvents.LocalReminderScheduleChanged changed:
                    var local = LocalOf(changed.Identity, value);
                    local.Latest = Math.Max(local.Latest, changed.ScheduleVersion);
                    break;
                case ReminderEvents.LocalReminderTickWaitArmed armed:
                    var waiting = LocalOf(armed.Identity, value);
                    waiting.Latest = Math.Max(waiting.Latest, armed.ScheduleVersion);
                    waiting.Armed = Math.Max(waiting.Armed, armed.ScheduleVersion);
                    break;
                case ReminderEvents.LocalReminderStopped stopped:
                    _locals.Remove(stopped.Identity);
                    break;
                case ReminderEvents.TickFiring firing:
                    _delivering[key] = _delivering.GetValueOrDefault(key) + 1;
                    // The reminder waits for its next tick again only once this one is delivered.
                    foreach (var l in _locals.Values.Where(l => l.Grain == value.GrainId && l.Name == value.ReminderName)) l.Armed = -1;
                    break;
                case ReminderEvents.TickCompleted completed:
                    Delivered(key, completed.Status, failed: false);
                    break;
                case ReminderEvents.TickFailed failed:
                    Delivered(key, failed.Status, failed: true);
                    break;
            }
        }
    }

    private void Delivered((GrainId, string) key, TickStatus status, bool failed)
    {
        if (_delivering.GetValueOrDefault(key) <= 1) _delivering.Remove(key);
        else _delivering[key]--;
        _ticks.Add(new Tick(key.Item1, key.Item2, status.FirstTickTime, status.CurrentTickTime, failed));
    }

    private Local LocalOf(object identity, ReminderEvents.ReminderEvent value)
    {
        if (!_locals.TryGetValue(identity, out var local)) _locals[identity] = local = new Local(value.GrainId, value.ReminderName);
        return local;
    }

    private bool Mine(SiloAddress? silo)
    {
        lock (_lock) return _silo is not null && _silo.Equals(silo);
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _events.Dispose();
        _serviceEvents.Dispose();
    }
}
