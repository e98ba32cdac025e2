using System.Net;
using System.Net.Mail;
using System.Text;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Grains.Nudges;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>
/// Sends what waits in the email outbox, one at a time, off the grains' turns. Each email is claimed (durably Sending)
/// before the SMTP conversation and completed after it; if the host stops in between, it is never sent again.
/// </summary>
internal sealed class NudgeEmailSender(
    IGrainFactory grains, NudgeEmailChannel channel, IOptions<NudgeEmailOptions> options, NudgeStopTokens tokens,
    IServiceScopeFactory scopes, ILogger<NudgeEmailSender> logger) : BackgroundService
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
        using var message = Compose(email, address, settings);
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

    private MailMessage Compose(OutboxEmail email, string address, NudgeEmailOptions settings)
    {
        var baseUrl = settings.PublicUrl!.TrimEnd('/'); // required when email is on (checked at start-up)
        var stop = $"{baseUrl}/nudges/stop?token={Uri.EscapeDataString(tokens.Create(email.MemberId))}";
        var nudge = email.Nudge;
        var open = nudge.Link is null ? null : $"{baseUrl}/{nudge.Link.TrimStart('/')}";
        var text = new StringBuilder()
            .AppendLine(nudge.Text).AppendLine();
        if (open is not null) text.AppendLine($"Open it when it suits you: {open}").AppendLine();
        text.AppendLine("There is no need to answer this email, and nothing is lost if you let it pass.")
            .AppendLine().AppendLine("--")
            .AppendLine("You asked for nudges by email. To stop them with one click:")
            .AppendLine(stop);
        var html = $"""
            <p>{WebUtility.HtmlEncode(nudge.Text)}</p>
            {(open is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(open)}\">Open it when it suits you</a></p>")}
            <p>There is no need to answer this email, and nothing is lost if you let it pass.</p>
            <hr><p style="font-size:smaller">You asked for nudges by email. <a href="{WebUtility.HtmlEncode(stop)}">Stop email nudges</a></p>
            """;
        var message = new MailMessage(settings.From ?? $"nudges@{settings.Host}", address)
        {
            Subject = nudge.Title,
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
        return message;
    }
}
