namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// One browser's Web Push subscription: where to POST (the endpoint, a capability URL: whoever has it can send to the
/// browser) and the browser's keys for encrypting what is sent. DeviceId ties it to the browser that made it, so
/// signing out there removes it.
/// </summary>
public sealed class PushSubscriptionRecord
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string P256dh { get; set; } = "";
    public string Auth { get; set; } = "";
    public string DeviceId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
