using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>
/// An entry as the browser keeps it on the device (app.js, bsg.outbox.&lt;memberId&gt;) until the circle has stored it:
/// what kind it is, its clientEventId, whose and for which circle, and the form's fields by name, as written.
/// </summary>
public sealed record DeviceEntry(
    string? Kind, string? ClientEventId, string? CircleId, string? MemberId, string? KeptAt, Dictionary<string, string?>? Fields)
{
    public string? Field(string name) =>
        Fields is not null && Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}

/// <summary>What became of one entry kept on the device.</summary>
/// <param name="Settled">Stored, or refused for good: either way the device no longer keeps it.</param>
/// <param name="Problem">Words for the person when it was refused or could not be sent now.</param>
/// <param name="Kind">Which kind of entry it was, to say so with a refusal.</param>
public sealed record OutboxSend(bool Settled, string? Problem, string? Kind = null);

/// <summary>
/// The server's side of the device outbox: sends what the browser kept and tells it to forget what is settled.
/// Every kind of entry goes through here, each mapped to its grain call in <see cref="Send"/>, always with the entry's
/// own clientEventId, so one the circle already has (the answer was lost with the connection, another tab sent it
/// first, the page sent it and then reloaded) is acknowledged again with its first receipt, never stored twice.
/// </summary>
public sealed class DeviceOutbox(IJSRuntime js, ILogger<DeviceOutbox> logger, IStringLocalizer<EntryWords> words)
{
    /// <summary>The kinds a form can keep (its data-outbox attribute); how a person names one is EntryWords' Kind_*.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string> { "check-in", "win", "bring", "reflection", "practice", "round-answer" };

    /// <summary>Said when an entry could not be sent now and waits on the device.</summary>
    public string KeptForLater => words["KeptForLater"];

    /// <summary>Raised with the clientEventId of each kept entry a catch-up sent (not those sent straight from a form).</summary>
    public event Action<string>? Sent;

    /// <summary>One place that knows which grain call stores which kind; the domain validates every field.</summary>
    private Task Send(ICircleGrain grain, string memberId, DeviceEntry entry)
    {
        var id = entry.ClientEventId;
        return entry.Kind switch
        {
            "check-in" => grain.CheckInAsync(memberId, new CheckInDraft(id, entry.Field("capacity"),
                (entry.Field("feelings") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                entry.Field("note"), entry.Field("visibility"))),
            "win" => grain.ShareWinAsync(memberId, new ShareWinDraft(id, entry.Field("text"), entry.Field("visibility"))),
            "bring" => grain.BringToSessionAsync(memberId, new BringToSessionDraft(id, entry.Field("text"), entry.Field("visibility"))),
            "reflection" => grain.ReflectAsync(memberId, new ReflectDraft(id, entry.Field("important"), entry.Field("stillWithMe"),
                entry.Field("toNotice"), entry.Field("visibility"))),
            "practice" => grain.LogPracticeAsync(memberId, new LogPracticeDraft(id, IdOf(entry.Field("commitmentId")),
                entry.Field("outcome"), entry.Field("note"))),
            "round-answer" => grain.RespondToRoundAsync(memberId, new RespondToRoundDraft(id, IdOf(entry.Field("roundId")),
                entry.Field("capacity"), entry.Field("text"), entry.Field("pass") == "true")),
            _ => throw new DomainValidationException("kind", words["UnknownKind"]),
        };
    }

    private static Guid? IdOf(string? value) => Guid.TryParse(value, out var id) ? id : null;

    public async Task<OutboxSend> SendAsync(ICircleGrain grain, string memberId, DeviceEntry entry)
    {
        // On a shared device, what someone else kept is theirs to send when they are back, never this person's.
        if (entry.MemberId != memberId) return new OutboxSend(false, null, entry.Kind);
        string? refusal = null;
        try
        {
            await Send(grain, memberId, entry);
        }
        catch (Exception ex) when (ex is DomainValidationException or CircleAccessDeniedException or CircleNotFoundException)
        {
            // Refused for good (the round ended, the commitment was let go, the circle archived): said once, not retried.
            refusal = ex.Message;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "An entry kept on the device could not be sent now");
            return new OutboxSend(false, KeptForLater, entry.Kind);
        }
        await ForgetAsync(memberId, entry.ClientEventId);
        return new OutboxSend(true, refusal, entry.Kind);
    }

    /// <summary>Sends every entry this person kept on this device for this circle, oldest first.</summary>
    /// <returns>What the person should be told: that kept entries went out, and any refusal in the circle's words.</returns>
    public async Task<IReadOnlyList<OutboxSend>> FlushAsync(ICircleGrain grain, Guid circleId, string memberId)
    {
        IReadOnlyList<DeviceEntry> pending;
        try { pending = await js.InvokeAsync<DeviceEntry[]>("bsg.outbox.pending", circleId.ToString(), memberId); }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            logger.LogDebug(ex, "Could not read the device outbox");
            return [];
        }
        var results = new List<OutboxSend>();
        foreach (var entry in pending)
        {
            var result = await SendAsync(grain, memberId, entry);
            results.Add(result);
            if (result.Settled && result.Problem is null && entry.ClientEventId is { } sent) Sent?.Invoke(sent);
        }
        return results;
    }

    /// <summary>The sentence for an entry the circle refused after it waited on the device.</summary>
    public string DescribeRefusal(OutboxSend send) => words["NotAccepted", words.Kind(send.Kind), send.Problem ?? ""];

    /// <summary>The last seq the feed showed when the connection dropped (app.js keeps it for this tab), taken once.</summary>
    public async Task<long?> TakeSeenAsync(Guid circleId)
    {
        try { return await js.InvokeAsync<long?>("bsg.outbox.takeSeen", circleId.ToString()); }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            logger.LogDebug(ex, "Could not read what the feed showed before the connection dropped");
            return null;
        }
    }

    /// <summary>Tells the device to stop keeping an entry (stored, or refused for good).</summary>
    public async Task ForgetAsync(string memberId, string? clientEventId)
    {
        if (clientEventId is null) return;
        try { await js.InvokeVoidAsync("bsg.outbox.forget", memberId, clientEventId); }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            // Still kept on the device: the next flush sends it again and the circle answers with the same receipt.
            logger.LogDebug(ex, "Could not tell the device outbox to forget a settled entry");
        }
    }
}
