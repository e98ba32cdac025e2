using System.Security.Claims;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Push;

/// <summary>The app's VAPID public key.</summary>
public sealed record PushKeyResponse(string PublicKey);

/// <summary>A person's push switches, and whether this browser is subscribed.</summary>
public sealed record PushStatusResponse(PushChoices Kinds, bool ThisDevice);

/// <summary>
/// Web Push for nudges: the sender, the VAPID key, and the API a page or app uses (GET /api/push/key,
/// PUT and DELETE /api/me/push-subscription, GET and PUT /api/me/push).
/// </summary>
internal static class PushExtensions
{
    public static WebApplicationBuilder AddGroupsPush(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Push");
        builder.Services.AddOptions<PushOptions>().Bind(section)
            .Validate(VapidKeys.IsWellFormed,
                "Push:PublicKey and Push:PrivateKey go together: the 65-byte public point and the 32-byte private key, base64url. " +
                "Leave both out to have the app make a pair and keep it in the database.")
            .ValidateOnStart();
        builder.Services.AddSingleton<VapidKeys>();
        builder.Services.AddSingleton<PushDevices>();
        var enabled = section.GetValue("Enabled", true);
        builder.Services.AddSingleton(new NudgePushChannel { Enabled = enabled });
        // No redirects: the endpoint was checked against the allowed push services, a redirect's target was not. No
        // request logging: HttpClient's own logs name the whole endpoint, which is what lets anyone push to that phone.
        builder.Services.AddHttpClient(NudgePushSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        if (enabled) builder.Services.AddHostedService<NudgePushSender>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPushApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("api/push/key", async (VapidKeys keys, CancellationToken ct) =>
                TypedResults.Ok(new PushKeyResponse((await keys.GetAsync(ct)).PublicKey)))
            .WithTags("Push").RequireAuthorization(AccountsExtensions.ApiPolicy);

        var me = endpoints.MapGroup("api/me").WithTags("Push").RequireAuthorization(AccountsExtensions.ApiPolicy);
        // This browser's subscription (PushSubscription.toJSON()): stored for the signed-in person and this device.
        me.MapPut("push-subscription", async (PushSubscriptionRequest? request, ClaimsPrincipal user, HttpContext context,
            PushDevices devices, IOptions<PushOptions> options, CancellationToken ct) =>
        {
            var valid = PushServices.Validate(request, options.Value);
            await devices.SaveAsync(user.MemberId(), PushDevices.EnsureDevice(context), valid, ct);
            return TypedResults.NoContent();
        });
        // Turned off on this browser: its subscriptions go (the page also unsubscribes in the browser).
        me.MapDelete("push-subscription", async (ClaimsPrincipal user, HttpContext context, PushDevices devices, CancellationToken ct) =>
        {
            if (PushDevices.DeviceOf(context) is { } device) await devices.ForgetDeviceAsync(user.MemberId(), device, ct);
            return TypedResults.NoContent();
        });
        me.MapGet("push", async (ClaimsPrincipal user, HttpContext context, IGrainFactory grains, PushDevices devices, CancellationToken ct) =>
            TypedResults.Ok(new PushStatusResponse(await grains.GetGrain<IMemberSettingsGrain>(user.MemberId()).GetPushAsync(),
                await devices.HasAsync(user.MemberId(), PushDevices.DeviceOf(context), ct))));
        // One switch at a time, like the page: {"kind": "cue", "on": true}.
        me.MapPut("push", async (PushSwitch? change, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (change?.Kind is not { Length: <= 32 } kind || change.On is not { } on)
                throw new DomainValidationException("kind", ServerText.Format("Push.Switch", string.Join(", ", PushChoices.Kinds)));
            return TypedResults.Ok(await grains.GetGrain<IMemberSettingsGrain>(user.MemberId()).SetPushAsync(kind, on));
        });
        return endpoints;
    }
}

public sealed record PushSwitch(string? Kind, bool? On);
