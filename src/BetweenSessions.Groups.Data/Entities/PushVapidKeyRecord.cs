namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// The app's VAPID key pair, made on first start when configuration gives none. One row, shared by every host: push
/// services bind a subscription to the public key it was made with, so all hosts must sign with the same one. The
/// private key is stored protected by the data-protection key ring that lives in this database too.
/// </summary>
public sealed class PushVapidKeyRecord
{
    public int Id { get; set; }
    public string PublicKey { get; set; } = "";
    public string ProtectedPrivateKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
