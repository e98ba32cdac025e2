namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds tests/hub-client.</summary>
    public static string Root { get; } = FindRoot();

    public static string HubClient => Path.Combine(Root, "tests", "hub-client");

    /// <summary>The hub load generator (build/bench.sh), with its own npm packages.</summary>
    public static string HubLoad => Path.Combine(Root, "bench", "hub-load");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "tests", "hub-client", "package.json"))) return dir.FullName;
        throw new InvalidOperationException($"No tests/hub-client above {AppContext.BaseDirectory}.");
    }

    /// <summary>True when the environment variable is set to 1 or true: a missing tool must then fail, not skip.</summary>
    public static bool Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is "1" or "true" or "True";

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
