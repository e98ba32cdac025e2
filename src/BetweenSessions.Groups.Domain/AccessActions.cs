namespace BetweenSessions.Groups.Domain;

/// <summary>
/// What the access log records (docs/security.md, "The access log"): who looked at or changed what that is about
/// someone else, and every sign-in. Stored as these strings; never with the content itself.
/// </summary>
public static class AccessActions
{
    /// <summary>A facilitator's page, replay or app read someone's entries written for the facilitators only.</summary>
    public const string OpenedFacilitatorsOnly = "opened-facilitators-only";
    /// <summary>A facilitator's page, replay or app read someone's support request (or a note added to it).</summary>
    public const string OpenedSupportRequest = "opened-support-request";
    public const string AddedCoFacilitator = "added-co-facilitator";
    public const string RemovedMember = "removed-member";
    public const string NewInviteCode = "new-invite-code";
    /// <summary>A person downloaded their own data.</summary>
    public const string ExportedData = "exported-data";
    /// <summary>A facilitator made a one-time reset link for a member of their circle.</summary>
    public const string IssuedResetLink = "issued-reset-link";
    public const string ResetPassword = "reset-password";
    public const string SignedIn = "signed-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignedOutEverywhere = "signed-out-everywhere";
    public const string DeletedAccount = "deleted-account";

    /// <summary>Actions about signing in, shown on a person's "Recent sign-ins".</summary>
    public static readonly IReadOnlySet<string> SignIns = new HashSet<string> { SignedIn, SignInFailed };
}
