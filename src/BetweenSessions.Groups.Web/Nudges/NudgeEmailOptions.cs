namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>Email:Smtp:* and Email:PublicUrl. With no Host, email nudges are off and the Settings page says so.</summary>
public sealed class NudgeEmailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? From { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool EnableTls { get; set; }
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Where people reach the app, for the stop link in each email (https://circles.example.org).</summary>
    public string? PublicUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
