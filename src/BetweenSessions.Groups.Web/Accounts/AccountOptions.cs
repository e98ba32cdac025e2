namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>Settings of accounts and sessions (section "Accounts"; the sign-in throttle has its own sub-section).</summary>
public sealed class AccountOptions
{
    /// <summary>
    /// New accounts confirm their email address before they can sign in. Needs Email:Smtp. Off by default, so the
    /// embedded default runs without a mail server.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; }

    /// <summary>
    /// When true, running a circle (the dashboard and the circle's access log, rounds, the facilitators' hub methods,
    /// starting a circle) needs a sign-in with a second step: an authenticator code (or a recovery code) or a passkey.
    /// Members are never affected.
    /// </summary>
    public bool RequireStrongSignInForFacilitators { get; set; }

    /// <summary>
    /// A session without "Keep me signed in" (a shared or borrowed device) ends after this long without activity:
    /// the page signs out, and the sign-in cookie stops working on the server as well.
    /// </summary>
    public TimeSpan IdleSignOut { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>"Keep me signed in": how long the device stays signed in without a visit.</summary>
    public TimeSpan KeepSignedIn { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How soon "Sign out everywhere", a password change and a deleted account reach sessions that are already open:
    /// cookies, bearer tokens, open pages and hub connections are all checked against the account this often.
    /// </summary>
    public TimeSpan SessionCheck { get; set; } = TimeSpan.FromMinutes(1);
}
