using System.Text;
using System.Text.Json;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Runs axe-core (tests/hub-client/node_modules/axe-core, installed by `npm ci`) inside a Playwright page and
/// describes every violation of impact "serious" or "critical", one readable block each.
/// </summary>
public static class AxeScan
{
    public static string AxeScript => Path.Combine(RepoPaths.HubClient, "node_modules", "axe-core", "axe.min.js");

    /// <summary>The serious and critical violations on the page as it is now, described for a failure message; empty when none.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!File.Exists(AxeScript))
            Assert.Fail($"axe-core is not installed at {AxeScript}: run `npm ci` in {RepoPaths.HubClient}.");
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await page.AddScriptTagAsync(new() { Path = AxeScript });
        var json = await page.EvaluateAsync<string>("""
            async () => {
                const result = await axe.run(document, { resultTypes: ['violations'] });
                return JSON.stringify(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                                 nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary })) })));
            }
            """);
        using var doc = JsonDocument.Parse(json);
        var found = new List<string>();
        foreach (var v in doc.RootElement.EnumerateArray())
        {
            var text = new StringBuilder();
            text.AppendLine($"[{v.GetProperty("impact").GetString()}] {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} ({v.GetProperty("helpUrl").GetString()})");
            foreach (var n in v.GetProperty("nodes").EnumerateArray())
            {
                text.AppendLine($"    at {n.GetProperty("target").GetString()}");
                text.AppendLine($"       {n.GetProperty("html").GetString()}");
                text.AppendLine($"       {n.GetProperty("summary").GetString()?.Replace("\n", "\n       ")}");
            }
            found.Add(text.ToString());
        }
        return found;
    }

    /// <summary>Scans and records what it found under a name, so one test can report every page at once.</summary>
    public static async Task ScanAsync(IPage page, string name, IDictionary<string, IReadOnlyList<string>> report) =>
        report[name] = await SeriousViolationsAsync(page);

    public static void AssertClean(IDictionary<string, IReadOnlyList<string>> report)
    {
        var failing = report.Where(r => r.Value.Count > 0).ToList();
        if (failing.Count == 0) return;
        var message = new StringBuilder("axe-core found serious or critical accessibility violations:\n");
        foreach (var (name, violations) in failing)
        {
            message.AppendLine($"\n== {name} ==");
            foreach (var v in violations) message.Append(v);
        }
        Assert.Fail(message.ToString());
    }
}
