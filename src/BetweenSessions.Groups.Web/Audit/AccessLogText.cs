using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Audit;

/// <summary>An access-log entry as a sentence, for the person it is about ("Rae opened your support request") or for
/// a circle's facilitators ("Rae opened Sam's support request").</summary>
public static class AccessLogText
{
    public static string Describe(AccessLogEntry e, string viewerId)
    {
        var actor = e.ActorId == viewerId ? "You" : e.ActorName ?? "Someone";
        var aboutViewer = e.SubjectId == viewerId;
        var subject = aboutViewer ? "you" : e.SubjectName ?? "someone";
        var subjects = aboutViewer ? "your" : $"{e.SubjectName ?? "someone"}’s";
        return e.Action switch
        {
            AccessActions.OpenedSupportRequest => $"{actor} opened {subjects} support request",
            AccessActions.OpenedFacilitatorsOnly => $"{actor} opened {subjects} entries for the facilitators",
            AccessActions.AddedCoFacilitator => $"{actor} made {subject} a co-facilitator",
            AccessActions.RemovedMember => $"{actor} removed {subject} from the circle",
            AccessActions.NewInviteCode => $"{actor} made a new invite code",
            AccessActions.ExportedData => $"{actor} downloaded {(e.ActorId == viewerId ? "your" : "their")} data",
            AccessActions.IssuedResetLink => $"{actor} made a one-time password reset link for {subject}",
            AccessActions.ResetPassword => e.ActorId == viewerId ? "Your password was changed with a reset link" : $"{actor} changed their password with a reset link",
            AccessActions.SignedIn => $"{actor} signed in",
            AccessActions.SignInFailed => e.ActorId == viewerId ? "A sign-in to your account did not succeed" : $"A sign-in as {actor} did not succeed",
            AccessActions.SignedOutEverywhere => $"{actor} signed out everywhere",
            AccessActions.DeletedAccount => $"{actor} deleted {(e.ActorId == viewerId ? "your" : "their")} account",
            _ => $"{actor}: {e.Action}",
        };
    }
}
