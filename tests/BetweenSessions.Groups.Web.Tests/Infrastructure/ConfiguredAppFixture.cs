using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// A second instance of the app, configured as a deployment would be: a tiny hub rate limit (a burst of 3 calls per
/// connection and 20 per person, then 1 a second each), one allowed browser origin besides its own, its own crisis resources, and the log
/// levels of appsettings.json, with every log line kept so tests can read what the app wrote.
/// </summary>
public sealed class ConfiguredAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, configured";
    public const string AllowedOrigin = "https://members.example.test";

    public static readonly (string Name, string Phone, string Text, string Url)[] CrisisResources =
    [
        ("Circle crisis line", "+49 800 111 0 111", "Around the clock, free of charge.", "https://crisis.example.test"),
        ("Text line", "+49 800 222 0 222", "Text HOME; a trained volunteer answers.", "https://text.example.test"),
        ("Your facilitator's practice", "+49 30 1234 5678", "Weekdays, 9 to 17.", "https://practice.example.test"),
    ];

    public LogCapture Logs { get; } = new();

    protected override bool KeepAppLogLevels => true;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = BuildSettings();

    /// <summary>Only the capture: it sees what any provider would, and the test output stays readable.</summary>
    protected override void ConfigureLogging(ILoggingBuilder logging) => logging.ClearProviders().AddProvider(Logs);

    private static Dictionary<string, string> BuildSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Realtime:RateLimit:Burst"] = "3",
            ["Realtime:RateLimit:PerSecond"] = "1",
            ["Realtime:RateLimit:PersonBurst"] = "20",
            ["Realtime:RateLimit:PersonPerSecond"] = "1",
            // With a trailing slash and in capitals, as people write it in settings: the check must still match.
            ["Realtime:AllowedOrigins:0"] = AllowedOrigin.ToUpperInvariant() + "/",
            // Our own code at Debug, so the capture shows the hub's traffic was logged at all; everything else keeps
            // appsettings.json's levels.
            ["Logging:LogLevel:BetweenSessions"] = "Debug",
        };
        for (var i = 0; i < CrisisResources.Length; i++)
        {
            var (name, phone, text, url) = CrisisResources[i];
            settings[$"Support:CrisisResources:{i}:Name"] = name;
            settings[$"Support:CrisisResources:{i}:Phone"] = phone;
            settings[$"Support:CrisisResources:{i}:Text"] = text;
            settings[$"Support:CrisisResources:{i}:Url"] = url;
            // For everybody: settings merge by position, and appsettings.json's entries there say their language.
            settings[$"Support:CrisisResources:{i}:Language"] = "";
        }
        return settings;
    }
}

[CollectionDefinition(ConfiguredAppFixture.Collection)]
public sealed class ConfiguredAppCollection : ICollectionFixture<ConfiguredAppFixture>;

/// <summary>Keeps every log entry the app writes (at the levels configuration lets through), with its scopes and exception.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new StringBuilder($"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) entry.Append($" | {key}={value}");
            capture._scopes.ForEachScope((scope, text) =>
            {
                text.Append(" | scope: ").Append(scope);
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) text.Append($" {key}={value}");
            }, entry);
            if (exception is not null) entry.Append(" | ").Append(exception);
            capture._entries.Enqueue(entry.ToString());
        }
    }
}
