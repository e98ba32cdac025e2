using System.Net;
using System.Net.Mail;
using System.Text;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Nudges;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// The account's own emails (reset links, confirmation links), sent at once over the same SMTP server as the email
/// nudges (Email:Smtp). Without one nothing is sent, and the pages offer the facilitator's one-time link instead. The
/// Identity API sends through this too (its /forgotPassword sends a code, not a link).
/// </summary>
internal sealed class AccountEmails(IOptions<NudgeEmailOptions> smtp, IOptions<AccountOptions> accounts, ILogger<AccountEmails> logger)
    : IEmailSender<GroupsUser>
{
    public bool CanSend => smtp.Value.Enabled;

    public Task SendConfirmationLinkAsync(GroupsUser user, string email, string confirmationLink) =>
        // Identity's API registration always asks for this; it is noise where confirming is not required.
        accounts.Value.RequireConfirmedEmail
            ? SendAsync(email, "Confirm your email address",
                "Please confirm that this is your email address, so that you can sign in:", confirmationLink,
                "If you did not create an account, you can ignore this email.")
            : Task.CompletedTask;

    public Task SendPasswordResetLinkAsync(GroupsUser user, string email, string resetLink) =>
        SendAsync(email, "Choose a new password",
            "Someone (we hope you) asked to choose a new password for your account. This link works once, for a day:", resetLink,
            "If it was not you, you can ignore this email: your password stays as it is.");

    public Task SendPasswordResetCodeAsync(GroupsUser user, string email, string resetCode) =>
        SendAsync(email, "Your password reset code",
            "Someone (we hope you) asked to choose a new password for your account. Enter this code in the app:", resetCode,
            "If it was not you, you can ignore this email: your password stays as it is.");

    private async Task SendAsync(string address, string subject, string lead, string linkOrCode, string footer)
    {
        var settings = smtp.Value;
        if (!settings.Enabled) return;
        var isLink = linkOrCode.StartsWith("http", StringComparison.Ordinal);
        var text = $"{lead}\n\n{linkOrCode}\n\n{footer}\n";
        var html = $"""
            <p>{WebUtility.HtmlEncode(lead)}</p>
            <p>{(isLink ? $"<a href=\"{WebUtility.HtmlEncode(linkOrCode)}\">{WebUtility.HtmlEncode(linkOrCode)}</a>" : $"<strong>{WebUtility.HtmlEncode(linkOrCode)}</strong>")}</p>
            <p>{WebUtility.HtmlEncode(footer)}</p>
            """;
        using var message = new MailMessage(settings.From ?? $"accounts@{settings.Host}", address)
        {
            Subject = subject, Body = text, BodyEncoding = Encoding.UTF8, SubjectEncoding = Encoding.UTF8,
        };
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, "text/html"));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        using var client = Smtp.Client(settings);
        try
        {
            await client.SendMailAsync(message);
        }
        catch (SmtpException ex)
        {
            // The link is a credential: it never goes to the log, nor does the address.
            logger.LogWarning("An account email ({Subject}) could not be sent ({Status})", subject, ex.StatusCode);
            throw new InvalidOperationException("The email could not be sent just now. Please try again in a few minutes.", ex);
        }
    }
}
