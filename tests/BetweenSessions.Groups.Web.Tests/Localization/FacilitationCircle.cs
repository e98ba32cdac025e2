using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// A circle for the facilitation pages' language tests, made through the grains (not the circles page, whose words
/// are another part's): Alex facilitates, Robin asked for support and brought something, a round is open.
/// </summary>
internal sealed record FacilitationCircle(Guid CircleId, string Name, string InviteCode, string AlexId, string RobinId)
{
    public const string Note = "A hard night";
    public const string Brought = "Resting without guilt";
    public const string Prompt = "How do you arrive";

    public static async Task<FacilitationCircle> MakeAsync(GroupsAppFixture app, Person alex, Person robin, string name)
    {
        var alexId = await app.MemberIdAsync(alex);
        var robinId = await app.MemberIdAsync(robin);
        var circleId = Guid.NewGuid();
        var circle = app.Circle(circleId);
        var details = await circle.CreateAsync(alexId, "Alex", name);
        await circle.JoinAsync(robinId, "Robin", details.InviteCode!);
        await circle.RequestSupportAsync(robinId, new RequestSupportDraft(Guid.NewGuid().ToString("N"), Note));
        await circle.BringToSessionAsync(robinId, new BringToSessionDraft(Guid.NewGuid().ToString("N"), Brought, "facilitators"));
        await circle.StartRoundAsync(alexId, new StartRoundDraft(Guid.NewGuid().ToString("N"), Prompt));
        return new FacilitationCircle(circleId, name, details.InviteCode!, alexId, robinId);
    }
}
