using System.Net;
using System.Text.Json;
using BetweenSessions.Groups.Grains.Nudges;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Push;

/// <summary>
/// Sends delivered nudges to the person's subscribed browsers, off the grains' turns, one push request at a time, each
/// with its own timeout. What is sent says nothing private: lock screens are seen by others (<see cref="Payload"/>).
/// A push service that says the subscription is gone (404, 410) has it removed; other failures are logged with the
/// service's host only, since the endpoint's path is what lets anyone push to that browser.
/// </summary>
internal sealed class NudgePushSender(
    NudgePushChannel channel, VapidKeys keys, PushDevices devices, IHttpClientFactory http, IOptions<PushOptions> options,
    IConfiguration configuration, TimeProvider time, PersonCulture cultures, IStringLocalizer<NudgePushSender> words,
    ILogger<NudgePushSender> logger) : BackgroundService
{
    public const string HttpClientName = "push";


    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        VapidAuthentication? vapid = null;
        try
        {
            await foreach (var push in channel.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    vapid ??= await AuthenticationAsync(stoppingToken);
                    await SendAsync(push, vapid, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Push for nudge {NudgeKey} could not be sent", push.Nudge.Key);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            vapid?.Dispose();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The key pair is made (or read) at start, so the Settings page and GET /api/push/key never wait for it.
        try
        {
            await keys.GetAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The VAPID key pair could not be read or made yet; trying again at the first push");
        }
        await base.StartAsync(cancellationToken);
    }

    private async Task<VapidAuthentication> AuthenticationAsync(CancellationToken ct)
    {
        var pair = await keys.GetAsync(ct);
        return new VapidAuthentication(pair.PublicKey, pair.PrivateKey) { Subject = Subject(options.Value, configuration) };
    }

    /// <summary>Push:Subject, else Email:PublicUrl: push services contact whoever runs the server there when something is wrong.</summary>
    public static string Subject(PushOptions o, IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(o.Subject) ? o.Subject.Trim()
        : Uri.TryCreate(configuration["Email:PublicUrl"], UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps ? url.GetLeftPart(UriPartial.Authority)
        : "mailto:push@localhost";

    /// <summary>
    /// The same generic words for every kind: no note, feeling, circle or person, since a lock screen shows them to
    /// whoever holds the phone, in the person's chosen language (English if they chose none: no browser is asking).
    /// The tag (the nudge's key) lets a resend replace the one already shown.
    /// </summary>
    public static string Payload(Notification nudge, string title, string body) => JsonSerializer.Serialize(new
    {
        title,
        body,
        url = nudge.Link is { } link && link.StartsWith('/') && !link.StartsWith("//") ? link : "/notifications",
        tag = nudge.Key,
    });

    private async Task SendAsync(PushNudge push, VapidAuthentication vapid, CancellationToken ct)
    {
        var subscriptions = await devices.ForAsync(push.MemberId, ct);
        if (subscriptions.Count == 0) return;
        string payload;
        using (CultureScope.Use(await cultures.ForAsync(push.MemberId)))
            payload = Payload(push.Nudge, words["Title"], words["Body"]);
        var ttl = push.Nudge.ValidUntil is { } until ? until - time.GetUtcNow() : LongestWait;
        var client = new PushServiceClient(http.CreateClient(HttpClientName))
        {
            DefaultAuthentication = vapid,
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            // A 429 is not waited out here: the next nudge would wait behind it.
            AutoRetryAfter = false,
        };
        foreach (var subscription in subscriptions)
        {
            var target = new PushSubscription { Endpoint = subscription.Endpoint };
            target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
            target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
            var message = new PushMessage(payload)
            {
                // Not worth showing after its moment; a push service keeps it at most a day for a phone that is off.
                TimeToLive = (int)Math.Clamp(ttl.TotalSeconds, 60, LongestWait.TotalSeconds),
                Urgency = PushMessageUrgency.Normal,
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds)));
            var service = PushServices.Safe(subscription.Endpoint);
            try
            {
                await client.RequestPushMessageDeliveryAsync(target, message, timeout.Token);
                logger.LogInformation("Push for nudge {NudgeKey} accepted by {PushService}", push.Nudge.Key, service);
            }
            catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                await devices.ForgetEndpointAsync(subscription.Endpoint, ct);
                logger.LogInformation("A push subscription at {PushService} has ended ({Status}); removed it", service, (int)ex.StatusCode);
            }
            catch (PushServiceClientException ex)
            {
                // Not the exception itself: it carries the subscription, endpoint and all.
                logger.LogWarning("Push for nudge {NudgeKey} refused by {PushService} ({Status})", push.Nudge.Key, service, (int)ex.StatusCode);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Push for nudge {NudgeKey} to {PushService} timed out", push.Nudge.Key, service);
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning("Push for nudge {NudgeKey} could not reach {PushService} ({Error})", push.Nudge.Key, service, ex.HttpRequestError);
            }
        }
    }
}
