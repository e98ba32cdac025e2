using BetweenSessions.Groups.Domain;
using Microsoft.JSInterop;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>A check-in as the browser keeps it on the device (app.js, bsg.outbox) until the circle has stored it.</summary>
public sealed record DeviceCheckIn(
    string ClientEventId, string? CircleId, string? MemberId, string? Capacity, string? Feelings, string? Note, string? Visibility)
{
    public CheckInDraft ToDraft() => new(
        ClientEventId, Capacity,
        (Feelings ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Note, Visibility);
}

/// <summary>What became of one check-in kept on the device.</summary>
/// <param name="Settled">Stored, or refused for good: either way the device no longer keeps it.</param>
/// <param name="Problem">Words for the person when it was refused or could not be sent now.</param>
public sealed record OutboxSend(bool Settled, string? Problem);

/// <summary>
/// The server's side of the device outbox: sends what the browser kept and tells it to forget what is settled.
/// Sending uses the check-in's own clientEventId, so a check-in the circle already has (the answer was lost with the
/// connection, or another tab sent it first) is acknowledged again, never stored twice.
/// </summary>
public sealed class DeviceOutbox(IJSRuntime js, ILogger<DeviceOutbox> logger)
{
    public const string KeptForLater = "That did not go through. It is kept on this device and will be sent when the connection is back.";

    /// <summary>Raised with the clientEventId of each kept check-in a catch-up sent (not those sent straight from the form).</summary>
    public event Action<string>? Sent;

    public async Task<OutboxSend> SendAsync(ICircleGrain grain, string memberId, DeviceCheckIn checkIn)
    {
        // On a shared device, what someone else kept is theirs to send when they are back, never this person's.
        if (checkIn.MemberId != memberId) return new OutboxSend(false, null);
        string? refusal = null;
        try
        {
            await grain.CheckInAsync(memberId, checkIn.ToDraft());
        }
        catch (Exception ex) when (ex is DomainValidationException or CircleAccessDeniedException or CircleNotFoundException)
        {
            refusal = ex.Message;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A check-in kept on the device could not be sent now");
            return new OutboxSend(false, KeptForLater);
        }
        await ForgetAsync(checkIn.ClientEventId);
        return new OutboxSend(true, refusal);
    }

    /// <summary>Sends every check-in this person kept on this device for this circle, oldest first.</summary>
    /// <returns>What the person should be told: that kept check-ins went out, and any refusal in the circle's words.</returns>
    public async Task<IReadOnlyList<OutboxSend>> FlushAsync(ICircleGrain grain, Guid circleId, string memberId)
    {
        IReadOnlyList<DeviceCheckIn> pending;
        try { pending = await js.InvokeAsync<DeviceCheckIn[]>("bsg.outbox.pending", circleId.ToString(), memberId); }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            logger.LogDebug(ex, "Could not read the device outbox");
            return [];
        }
        var results = new List<OutboxSend>();
        foreach (var checkIn in pending)
        {
            var result = await SendAsync(grain, memberId, checkIn);
            results.Add(result);
            if (result.Settled && result.Problem is null) Sent?.Invoke(checkIn.ClientEventId);
        }
        return results;
    }

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

    private async Task ForgetAsync(string clientEventId)
    {
        try { await js.InvokeVoidAsync("bsg.outbox.forget", clientEventId); }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            // Still kept on the device: the next flush sends it again and the circle answers with the same receipt.
            logger.LogDebug(ex, "Could not tell the device outbox to forget a settled check-in");
        }
    }
}
