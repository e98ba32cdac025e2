namespace BetweenSessions.Groups.Web.Tests.Performance;

/// <summary>Summaries the performance tests report (never assert on).</summary>
internal static class Figures
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
