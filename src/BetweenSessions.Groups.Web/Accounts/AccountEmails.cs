using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Localization;
using BetweenSessions.Groups.Web.Nudges;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// The account's own emails (reset links, confirmation links), sent at once over the same SMTP server as the email
/// nudges (Email:Smtp). Without one nothing is sent, and the pages offer the facilitator's one-time link instead. The
/// Identity API sends through this too (its /forgotPassword sends a code, not a link). Each is in the person's chosen
/// language (PersonCulture), else the language of the request that asked for it, and says so (Content-Language).
/// </summary>
internal sealed class AccountEmails(IOptions<NudgeEmailOptions> smtp, IOptions<AccountOptions> accounts, PersonCulture people,
    IStringLocalizer<AccountEmails> words, ILogger<AccountEmails> logger)
    : IEmailSender<GroupsUser>
{
    public bool CanSend => smtp.Value.Enabled;

    public Task SendConfirmationLinkAsync(GroupsUser user, string email, string confirmationLink) =>
        // Identity's API registration always asks for this; it is noise where confirming is not required.
        accounts.Value.RequireConfirmedEmail
            ? SendAsync(user, email, "Confirm", confirmationLink)
            : Task.CompletedTask;

    public Task SendPasswordResetLinkAsync(GroupsUser user, string email, string resetLink) =>
        SendAsync(user, email, "ResetLink", resetLink);

    public Task SendPasswordResetCodeAsync(GroupsUser user, string email, string resetCode) =>
        SendAsync(user, email, "ResetCode", resetCode);

    /// <param name="kind">The email's keys in AccountEmails.resx: {kind}Subject, {kind}Lead and {kind}Footer.</param>
    private async Task SendAsync(GroupsUser user, string address, string kind, string linkOrCode)
    {
        var settings = smtp.Value;
        if (!settings.Enabled) return;
        var culture = await people.ChosenAsync(user.Id) is { } chosen ? CultureInfo.GetCultureInfo(chosen)
            : LocalizationExtensions.Supported.FirstOrDefault(c => c.TwoLetterISOLanguageName == CultureInfo.CurrentUICulture.TwoLetterISOLanguageName)
              ?? LocalizationExtensions.English;
        string subject, lead, footer, notSent;
        var (ui, formatting) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = culture;
            (subject, lead, footer, notSent) = (words[kind + "Subject"], words[kind + "Lead"], words[kind + "Footer"], words["NotSent"]);
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, formatting);
        }
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
        message.Headers.Add("Content-Language", culture.TwoLetterISOLanguageName);
        using var client = Smtp.Client(settings);
        try
        {
            await client.SendMailAsync(message);
        }
        catch (SmtpException ex)
        {
            // The link is a credential: it never goes to the log, nor does the address.
            logger.LogWarning("An account email ({Kind}) could not be sent ({Status})", kind, ex.StatusCode);
            throw new InvalidOperationException(notSent, ex);
        }
    }
}
