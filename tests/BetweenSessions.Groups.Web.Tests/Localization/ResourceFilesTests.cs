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
    private static readonly string Domain = Path.Combine(RepoPaths.Root, "src", "BetweenSessions.Groups.Domain");

    /// <summary>The web project's resources and the domain's (the rules' own words, DomainText).</summary>
    private static readonly string[] Roots = [Resources, Path.Combine(Domain, "Resources")];

    private static IEnumerable<string> EnglishFiles() => Roots.SelectMany(root =>
        Directory.EnumerateFiles(root, "*.resx", SearchOption.AllDirectories).Where(f => !f.EndsWith(".es.resx", StringComparison.Ordinal)));

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
            var name = Path.GetRelativePath(RepoPaths.Root, english);
            var spanishPath = english[..^".resx".Length] + ".es.resx";
            if (!File.Exists(spanishPath)) { problems.Add($"{name}: no .es.resx beside it"); continue; }
            var en = Read(english);
            var es = Read(spanishPath);
            problems.AddRange(en.Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => $"{name}: \"{e.Key}\" is empty in English"));
            problems.AddRange(en.Keys.Where(k => !es.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v))
                .Select(k => $"{name}: \"{k}\" has no Spanish"));
            problems.AddRange(es.Keys.Where(k => !en.ContainsKey(k)).Select(k => $"{name}: Spanish \"{k}\" has no English key"));
        }
        foreach (var spanish in Roots.SelectMany(root => Directory.EnumerateFiles(root, "*.es.resx", SearchOption.AllDirectories)))
            if (!File.Exists(spanish[..^".es.resx".Length] + ".resx"))
                problems.Add($"{Path.GetRelativePath(RepoPaths.Root, spanish)}: no English file");
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

    /// <summary>
    /// The words said outside pages (DomainText in the rules and grains, ServerText in the web host's filters and
    /// endpoints): every key the code asks for exists, and every key in the files is still asked for.
    /// </summary>
    [Theory]
    [InlineData("DomainText", "src/BetweenSessions.Groups.Domain/Resources/DomainText.resx")]
    [InlineData("ServerText", "src/BetweenSessions.Groups.Web/Resources/Localization/ServerText.resx")]
    public void Every_key_said_outside_pages_is_in_its_resources_and_every_key_there_is_said(string owner, string resx)
    {
        var keys = Read(Path.Combine(RepoPaths.Root, resx)).Keys.ToHashSet();
        var code = string.Join("\n", new[] { "Domain", "Contracts", "Grains", "Web" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", $"BetweenSessions.Groups.{project}"), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal)) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText));
        var said = Regex.Matches(code, owner + @"\.(?:Get|Format)\(""([^""]+)""").Select(m => m.Groups[1].Value).ToHashSet();
        if (owner == "DomainText")
        {
            // Labels are passed to the validation methods by key, the last string argument before the length or map.
            said.UnionWith(Regex.Matches(code, """\bv\.(?:Id|Required|RequiredText|OptionalText|Name|OneOf)\([^;]*?"([A-Z][A-Za-z]+)"(?:\)|, [a-z]\b)""")
                .Select(m => "Label." + m.Groups[1].Value));
            said.UnionWith(["Label.ClientEventId", "Label.InviteCode"]);
            said.UnionWith(keys.Where(k => k.StartsWith("Capacity.", StringComparison.Ordinal) || k.StartsWith("Prompt.", StringComparison.Ordinal)));
        }
        Assert.Empty(said.Except(keys).Order());
        Assert.Empty(keys.Except(said).Order());
    }

    [GeneratedRegex("""\bL\["([^"]+)"[\],]""")]
    private static partial Regex KeyUse();
}
