namespace BetweenSessions.Groups.Domain;

/// <summary>The one rule for who may see an entry; every delivery path (hub, replay, REST, pages) calls it.</summary>
public static class Audience
{
    public static bool CanSee(Visibility visibility, string authorId, string viewerId, CircleRole viewerRole) =>
        viewerId == authorId || visibility switch
        {
            Visibility.Circle => true,
            Visibility.Facilitators => viewerRole == CircleRole.Facilitator,
            _ => false,
        };
}
