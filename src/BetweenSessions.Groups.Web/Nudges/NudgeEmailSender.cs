using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>
/// Sends what waits in the email outbox, one at a time, off the grains' turns. Each email is claimed (durably Sending)
/// before the SMTP conversation and completed after it; if the host stops in between, it is never sent again.
/// </summary>
internal sealed class NudgeEmailSender(
    IGrainFactory grains, NudgeEmailChannel channel, IOptions<NudgeEmailOptions> options, NudgeStopTokens tokens,
    IServiceScopeFactory scopes, PersonCulture cultures, IStringLocalizer<NudgeEmailSender> emailWords,
    IStringLocalizer<NudgeWords> nudgeWords, ILogger<NudgeEmailSender> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outbox = grains.GetGrain<IEmailOutboxGrain>(IEmailOutboxGrain.Key);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await outbox.ClaimNextAsync() is { } email)
                {
                    var sent = await SendAsync(email, stoppingToken);
                    await outbox.CompleteAsync(email.Id, sent);
                }
                await channel.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The email outbox could not be read; trying again shortly");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<bool> SendAsync(OutboxEmail email, CancellationToken ct)
    {
        var settings = options.Value;
        string? address;
        using (var scope = scopes.CreateScope())
            address = (await scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>().FindByIdAsync(email.MemberId))?.Email;
        if (string.IsNullOrWhiteSpace(address))
        {
            logger.LogInformation("Email nudge {NudgeKey} not sent: the account has no address (or is gone)", email.Nudge.Key);
            return false;
        }
        var culture = await cultures.ForAsync(email.MemberId);
        // In the language they chose (English if none: no browser is asking), said so in Content-Language.
        using var message = Composed(email, address, settings, culture);
        using var client = Smtp.Client(settings);
        try
        {
            await client.SendMailAsync(message, ct);
            logger.LogInformation("Email nudge {NudgeKey} sent", email.Nudge.Key);
            return true;
        }
        catch (Exception ex) when (ct.IsCancellationRequested)
        {
            // Stopping mid-conversation: it stays Sending, so the next run records it as uncertain instead of resending.
            throw new OperationCanceledException("The host stopped while an email nudge was being sent.", ex, ct);
        }
        catch (SmtpException ex)
        {
            // Not resent either: a server that failed after DATA may still deliver it. The app list has the nudge.
            logger.LogWarning("Email nudge {NudgeKey} could not be sent ({Status}); it stays in the app only", email.Nudge.Key, ex.StatusCode);
            return false;
        }
    }

    private MailMessage Composed(OutboxEmail email, string address, NudgeEmailOptions settings, CultureInfo culture)
    {
        using (CultureScope.Use(culture)) return Compose(email, address, settings);
    }

    private MailMessage Compose(OutboxEmail email, string address, NudgeEmailOptions settings)
    {
        var baseUrl = settings.PublicUrl!.TrimEnd('/'); // required when email is on (checked at start-up)
        var stop = $"{baseUrl}/nudges/stop?token={Uri.EscapeDataString(tokens.Create(email.MemberId))}";
        var nudge = email.Nudge;
        var open = nudge.Link is null ? null : $"{baseUrl}/{nudge.Link.TrimStart('/')}";
        var said = nudgeWords.Text(nudge);
        var title = nudgeWords.Title(nudge);
        var text = new StringBuilder()
            .AppendLine(said).AppendLine();
        if (open is not null) text.AppendLine(emailWords["OpenWithLink", open]).AppendLine();
        text.AppendLine(emailWords["NoNeedToAnswer"])
            .AppendLine().AppendLine("--")
            .AppendLine(emailWords["StopText"])
            .AppendLine(stop);
        var html = $"""
            <p>{WebUtility.HtmlEncode(said)}</p>
            {(open is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(open)}\">{WebUtility.HtmlEncode(emailWords["Open"])}</a></p>")}
            <p>{WebUtility.HtmlEncode(emailWords["NoNeedToAnswer"])}</p>
            <hr><p style="font-size:smaller">{WebUtility.HtmlEncode(emailWords["StopHtml"])} <a href="{WebUtility.HtmlEncode(stop)}">{WebUtility.HtmlEncode(emailWords["StopLink"])}</a></p>
            """;
        var message = new MailMessage(settings.From ?? $"nudges@{settings.Host}", address)
        {
            Subject = title,
            Body = text.ToString(),
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, "text/html"));
        // RFC 8058: mail apps offer their own one-click stop, which POSTs to this address.
        message.Headers.Add("List-Unsubscribe", $"<{stop}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("Content-Language", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
        return message;
    }
}
