using BetweenSessions.Groups.Data;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>The app with email nudges on, sending to a real SMTP server on loopback that this fixture starts.</summary>
public class EmailAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, with email";
    public const string PublicUrl = "https://circles.example.test";

    private readonly bool _ownsSmtp;

    public EmailAppFixture() : this(new SmtpSink(), null, Directory.CreateTempSubdirectory("bsg-web-tests-").FullName, owns: true) { }

    protected EmailAppFixture(SmtpSink smtp, int? port, string dataFolder, bool owns) : base(dataFolder, owns)
    {
        Smtp = smtp;
        _ownsSmtp = owns;
        Settings = new Dictionary<string, string>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = (port ?? smtp.Port).ToString(),
            ["Email:Smtp:From"] = "Circles <nudges@circles.example.test>",
            ["Email:Smtp:TimeoutSeconds"] = "600",
            ["Email:PublicUrl"] = PublicUrl,
            ["Grains:ReminderRefresh"] = "00:00:02",
        };
    }

    /// <summary>An app on an existing data folder, sending to <paramref name="port"/> (the sink's own by default): a restart.</summary>
    public static EmailAppFixture OnDataFolder(SmtpSink smtp, string dataFolder, int? port = null) => new(smtp, port, dataFolder, owns: false);

    public SmtpSink Smtp { get; }

    protected override IReadOnlyDictionary<string, string> Settings { get; }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>An account as the register page makes one, without a browser.</summary>
    public async Task<Member> CreateMemberAsync(string displayName)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>();
        var email = $"{displayName.ToLowerInvariant()}.{Guid.NewGuid():N}@example.test";
        var user = new GroupsUser { UserName = email, Email = email, DisplayName = displayName };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return new Member(user.Id, email);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsSmtp) Smtp.Dispose();
    }

    public sealed record Member(string Id, string Email);
}

[CollectionDefinition(EmailAppFixture.Collection)]
public sealed class EmailAppCollection : ICollectionFixture<EmailAppFixture>;
