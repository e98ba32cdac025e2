using System.Text.RegularExpressions;
using System.Xml.Linq;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// Spanish is complete wherever English is: every key of every .resx has a Spanish value, no Spanish key is left over
/// from words that are gone, and every key a component asks for exists.
/// </summary>
public sealed partial class ResourceFilesTests
{
    private static readonly string Web = Path.Combine(RepoPaths.Root, "src", "BetweenSessions.Groups.Web");
    private static readonly string Resources = Path.Combine(Web, "Resources");

    private static IEnumerable<string> EnglishFiles() =>
        Directory.EnumerateFiles(Resources, "*.resx", SearchOption.AllDirectories).Where(f => !f.EndsWith(".es.resx", StringComparison.Ordinal));

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [Fact]
    public void Every_english_resource_has_a_spanish_value_and_no_spanish_key_is_orphaned()
    {
        var files = EnglishFiles().ToList();
        Assert.NotEmpty(files);
        var problems = new List<string>();
        foreach (var english in files)
        {
            var name = Path.GetRelativePath(Resources, english);
            var spanishPath = english[..^".resx".Length] + ".es.resx";
            if (!File.Exists(spanishPath)) { problems.Add($"{name}: no .es.resx beside it"); continue; }
            var en = Read(english);
            var es = Read(spanishPath);
            problems.AddRange(en.Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => $"{name}: \"{e.Key}\" is empty in English"));
            problems.AddRange(en.Keys.Where(k => !es.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v))
                .Select(k => $"{name}: \"{k}\" has no Spanish"));
            problems.AddRange(es.Keys.Where(k => !en.ContainsKey(k)).Select(k => $"{name}: Spanish \"{k}\" has no English key"));
        }
        foreach (var spanish in Directory.EnumerateFiles(Resources, "*.es.resx", SearchOption.AllDirectories))
            if (!File.Exists(spanish[..^".es.resx".Length] + ".resx"))
                problems.Add($"{Path.GetRelativePath(Resources, spanish)}: no English file");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_key_a_component_asks_for_is_in_its_resources()
    {
        var problems = new List<string>();
        var checkedAny = false;
        foreach (var razor in Directory.EnumerateFiles(Path.Combine(Web, "Components"), "*.razor", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(razor);
            var component = Path.GetFileNameWithoutExtension(razor);
            if (!text.Contains($"IStringLocalizer<{component}> L", StringComparison.Ordinal)) continue;
            checkedAny = true;
            var relative = Path.GetRelativePath(Web, razor);
            var resx = Path.Combine(Resources, Path.ChangeExtension(relative, ".resx"));
            if (!File.Exists(resx)) { problems.Add($"{relative}: no {Path.GetRelativePath(Web, resx)}"); continue; }
            var keys = Read(resx);
            problems.AddRange(KeyUse().Matches(text).Select(m => m.Groups[1].Value).Distinct()
                .Where(k => !keys.ContainsKey(k)).Select(k => $"{relative}: \"{k}\" is not in its .resx"));
        }
        Assert.True(checkedAny);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [GeneratedRegex("""\bL\["([^"]+)"[\],]""")]
    private static partial Regex KeyUse();
}
