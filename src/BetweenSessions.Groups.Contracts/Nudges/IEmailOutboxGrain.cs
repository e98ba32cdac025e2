namespace BetweenSessions.Groups.Contracts.Nudges;

[GenerateSerializer]
public enum OutboxStatus { Waiting, Sending, Sent, Uncertain, Failed }

/// <summary>One nudge to email to one person; Id is member and nudge key, so offering it twice changes nothing.</summary>
[GenerateSerializer, Immutable]
public sealed record OutboxEmail(string Id, string MemberId, Notification Nudge, OutboxStatus Status, DateTimeOffset QueuedAt,
    string? ClaimedBy = null, DateTimeOffset? ChangedAt = null);

/// <summary>
/// The durable outbox for email nudges (one grain, key <see cref="Key"/>). At most once: an email is written as Sending
/// before the SMTP conversation starts and Sent after it ends; one found Sending by an earlier run of the host may or may
/// not have gone out, so it becomes Uncertain and is never sent again.
/// </summary>
public interface IEmailOutboxGrain : IGrainWithStringKey
{
    public const string Key = "email";

    Task EnqueueAsync(string memberId, Notification nudge);

    /// <summary>The next waiting email, now written as Sending by this host; null when none waits.</summary>
    Task<OutboxEmail?> ClaimNextAsync();

    Task CompleteAsync(string id, bool sent);

    Task<IReadOnlyList<OutboxEmail>> ListAsync();
}
