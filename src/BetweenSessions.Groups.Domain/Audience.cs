namespace BetweenSessions.Groups.Domain;

/// <summary>The one rule for who may see an entry; every delivery path (hub, replay, REST, pages) calls it.</summary>
public static class Audience
{
    /// <param name="subjectId">
    /// The person an entry answers, if any (the author of the check-in an acknowledgement answers, the owner of the
    /// commitment someone joined): they always see what was said to them.
    /// </param>
    /// <param name="authorId">
    /// Empty for a tombstone (an entry its author erased): it names nobody, so nobody sees it as its author.
    /// </param>
    public static bool CanSee(Visibility visibility, string authorId, string? subjectId, string viewerId, CircleRole viewerRole) =>
        (authorId.Length > 0 && viewerId == authorId) || viewerId == subjectId || visibility switch
        {
            Visibility.Circle => true,
            Visibility.Facilitators => viewerRole == CircleRole.Facilitator,
            _ => false,
        };
}
