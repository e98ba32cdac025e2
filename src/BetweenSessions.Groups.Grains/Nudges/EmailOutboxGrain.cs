using BetweenSessions.Groups.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Nudges;

/// <summary>
/// Whether this host sends nudges by email at all (the web app sets it from Email:Smtp:Host), and the wake-up call for
/// its sender, so a grain turn never waits on SMTP. HostInstance tells this host's claims from a previous run's.
/// </summary>
public sealed class NudgeEmailChannel
{
    private readonly SemaphoreSlim _wake = new(0);

    public bool Enabled { get; set; }

    public string HostInstance { get; } = Guid.NewGuid().ToString("N");

    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}

public sealed class EmailOutboxState
{
    public Dictionary<string, OutboxEmail> Emails { get; set; } = new(StringComparer.Ordinal);
}

[GrainType("emailoutbox")]
public sealed class EmailOutboxGrain([PersistentState("EmailOutboxGrain", GroupsStorage.Name)] IPersistentState<EmailOutboxState> state, NudgeEmailChannel channel, TimeProvider time, ILogger<EmailOutboxGrain> logger)
    : StoredGrain<EmailOutboxState>(state), IEmailOutboxGrain
{
    private static readonly TimeSpan Memory = TimeSpan.FromDays(30);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        var interrupted = State.Emails.Values.Where(e => e.Status == OutboxStatus.Sending && e.ClaimedBy != channel.HostInstance).ToList();
        if (interrupted.Count == 0) return;
        foreach (var email in interrupted)
        {
            // The host stopped mid-conversation: the server may have it. Sending again could send it twice.
            State.Emails[email.Id] = email with { Status = OutboxStatus.Uncertain, ChangedAt = time.GetUtcNow() };
            logger.LogWarning("Email nudge {NudgeKey} was being sent when the host stopped; it may or may not have arrived and is not sent again",
                email.Nudge.Key);
        }
        await WriteStateAsync();
    }

    public async Task EnqueueAsync(string memberId, Notification nudge)
    {
        var id = $"{memberId}/{nudge.Key}";
        if (State.Emails.ContainsKey(id)) return;
        var now = time.GetUtcNow();
        foreach (var old in State.Emails.Values.Where(e => e.Status is not (OutboxStatus.Waiting or OutboxStatus.Sending)
                     && now - (e.ChangedAt ?? e.QueuedAt) > Memory).ToList())
            State.Emails.Remove(old.Id);
        State.Emails[id] = new OutboxEmail(id, memberId, nudge, OutboxStatus.Waiting, now);
        await WriteStateAsync();
        channel.Wake();
    }

    public async Task<OutboxEmail?> ClaimNextAsync()
    {
        var next = State.Emails.Values.Where(e => e.Status == OutboxStatus.Waiting).OrderBy(e => e.QueuedAt).FirstOrDefault();
        if (next is null) return null;
        var claimed = next with { Status = OutboxStatus.Sending, ClaimedBy = channel.HostInstance, ChangedAt = time.GetUtcNow() };
        State.Emails[next.Id] = claimed;
        // Durable before the caller opens the SMTP conversation.
        await WriteStateAsync();
        return claimed;
    }

    public async Task CompleteAsync(string id, bool sent)
    {
        if (!State.Emails.TryGetValue(id, out var email) || email.Status != OutboxStatus.Sending) return;
        State.Emails[id] = email with { Status = sent ? OutboxStatus.Sent : OutboxStatus.Failed, ChangedAt = time.GetUtcNow() };
        await WriteStateAsync();
    }

    public Task<IReadOnlyList<OutboxEmail>> ListAsync() =>
        Task.FromResult<IReadOnlyList<OutboxEmail>>(State.Emails.Values.OrderBy(e => e.QueuedAt).ToList());
}
