using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>The app with its own push service on loopback allowed (the only way an http endpoint is accepted).</summary>
public sealed class PushAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, with a push service";

    public PushAppFixture()
    {
        Settings = new Dictionary<string, string>
        {
            ["Push:Services:0"] = Sink.Origin,
            ["Push:Subject"] = "mailto:ops@circles.example.test",
            // Deferred nudges are delivered by a reminder; checked often so "after quiet hours" comes soon after.
            ["Grains:ReminderRefresh"] = "00:00:02",
        };
    }

    public PushServiceSink Sink { get; } = new();

    /// <summary>What the app logs at its configured levels, as deployed: endpoints must never appear in it whole.</summary>
    public LogCapture Logs { get; } = new();

    protected override bool KeepAppLogLevels => true;

    protected override void ConfigureLogging(ILoggingBuilder logging) => logging.ClearProviders().AddProvider(Logs);

    protected override IReadOnlyDictionary<string, string> Settings { get; }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The endpoints the app holds for a person, straight from the database.</summary>
    public async Task<List<string>> EndpointsOfAsync(string userId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<GroupsDbContext>>().CreateDbContextAsync();
        return await db.PushSubscriptions.Where(s => s.UserId == userId).Select(s => s.Endpoint).ToListAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Sink.Dispose();
    }
}

[CollectionDefinition(PushAppFixture.Collection)]
public sealed class PushAppCollection : ICollectionFixture<PushAppFixture>;
