namespace BetweenSessions.Groups.Web.Push;

/// <summary>Push:* settings. Without keys the app makes a VAPID key pair on first start and keeps it in the database.</summary>
public sealed class PushOptions
{
    /// <summary>Off turns push off entirely: no sender, and the Settings page says it is not set up.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Who runs this server, for push services to reach (a mailto: or https: address); Email:PublicUrl otherwise.</summary>
    public string? Subject { get; set; }

    /// <summary>A VAPID key pair of your own (base64url: the 65-byte public point and the 32-byte private scalar), both or neither.</summary>
    public string? PublicKey { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary>
    /// Push services beyond the usual four, as a host ("push.example.org", "*.example.org", https only) or an exact
    /// origin ("http://127.0.0.1:5999"), the only way an http endpoint is accepted.
    /// </summary>
    public List<string> Services { get; set; } = [];

    public int TimeoutSeconds { get; set; } = 15;
}
