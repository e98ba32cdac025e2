using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;

namespace BetweenSessions.Groups.Web.Benchmarks;

/// <summary>
/// Listens to the app's own histograms (meters named BetweenSessions.Groups.*: the write queue, the relay) so a
/// benchmark phase can report where its time went on the server. Values are kept in buckets 5 % wide, enough for
/// percentiles without keeping every value. The runtime's own garbage-collection pauses are listened to beside them
/// (gc.pause): every thread of the server stops for those, so a tail they explain is not the app's own.
/// </summary>
internal sealed class ServerStats : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, Distribution> _distributions = new();
    private readonly Lock _lock = new();
    private readonly GcPauses _gcPauses;

    public ServerStats()
    {
        _gcPauses = new GcPauses((name, ms) => Record(name, "ms", ms));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("BetweenSessions.Groups", StringComparison.Ordinal))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(instrument, value));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value) => Record(instrument.Name, instrument.Unit ?? "", value);

    private void Record(string name, string unit, double value)
    {
        lock (_lock)
        {
            if (!_distributions.TryGetValue(name, out var distribution))
                _distributions[name] = distribution = new Distribution(unit);
            distribution.Add(value);
        }
    }

    /// <summary>Everything recorded since the last reset, by instrument name; then starts again.</summary>
    public IReadOnlyDictionary<string, object> TakeAndReset()
    {
        lock (_lock)
        {
            var summary = _distributions.OrderBy(d => d.Key, StringComparer.Ordinal)
                .ToDictionary(d => d.Key, d => d.Value.Summary());
            _distributions.Clear();
            return summary;
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _gcPauses.Dispose();
    }

    /// <summary>
    /// Each pause from the runtime suspending its threads for a collection until it lets them go again (gc.pause), the
    /// part of it spent waiting for the threads to stop (gc.suspend), and the pauses of each generation's collections.
    /// </summary>
    private sealed class GcPauses(Action<string, double> record) : EventListener
    {
        private const int GcStart = 1, RestartEnd = 3, SuspendEnd = 8, SuspendBegin = 9;
        private DateTime? _suspendedAt;
        private int? _generation;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, (EventKeywords)1 /* GC */);
        }

        // Called before the constructor has run for events already under way: those are not counted.
        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            switch (e.EventId)
            {
                case SuspendBegin:
                    _suspendedAt = e.TimeStamp;
                    break;
                case SuspendEnd when _suspendedAt is { } at:
                    record?.Invoke("gc.suspend", (e.TimeStamp - at).TotalMilliseconds);
                    break;
                case GcStart when e.PayloadNames?.IndexOf("Depth") is >= 0 and var depth:
                    _generation = Convert.ToInt32(e.Payload![depth]);
                    break;
                case RestartEnd when _suspendedAt is { } at:
                    var pause = (e.TimeStamp - at).TotalMilliseconds;
                    record?.Invoke("gc.pause", pause);
                    if (_generation is { } generation) record?.Invoke($"gc.pause.gen{generation}", pause);
                    _suspendedAt = null;
                    _generation = null;
                    break;
            }
        }
    }

    private sealed class Distribution(string unit)
    {
        private const double Growth = 1.05;
        private readonly Dictionary<int, long> _buckets = new();
        private long _count;
        private double _sum;
        private double _max;

        public void Add(double value)
        {
            _count++;
            _sum += value;
            _max = Math.Max(_max, value);
            var bucket = value <= 0.001 ? int.MinValue : (int)Math.Floor(Math.Log(value) / Math.Log(Growth));
            _buckets[bucket] = _buckets.GetValueOrDefault(bucket) + 1;
        }

        public object Summary() => new
        {
            Unit = unit,
            Count = _count,
            Mean = _count == 0 ? 0 : Math.Round(_sum / _count, 3),
            P50 = Percentile(0.5),
            P99 = Percentile(0.99),
            Max = Math.Round(_max, 3),
        };

        /// <summary>The upper edge of the bucket holding the percentile (at most 5 % high), capped at the maximum.</summary>
        private double Percentile(double q)
        {
            var rank = (long)Math.Ceiling(q * _count);
            long seen = 0;
            foreach (var (bucket, count) in _buckets.OrderBy(b => b.Key))
            {
                seen += count;
                if (seen >= rank) return Math.Round(bucket == int.MinValue ? 0.001 : Math.Min(_max, Math.Pow(Growth, bucket + 1)), 3);
            }
            return Math.Round(_max, 3);
        }
    }
}
