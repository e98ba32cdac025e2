using System.Net;
using System.Net.Mail;

namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>A client for the configured SMTP server (Email:Smtp), for nudges and account emails alike.</summary>
internal static class Smtp
{
    public static SmtpClient Client(NudgeEmailOptions settings)
    {
        var client = new SmtpClient(settings.Host, settings.Port)
        {
            EnableSsl = settings.EnableTls,
            Timeout = settings.TimeoutSeconds * 1000,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(settings.User)) client.Credentials = new NetworkCredential(settings.User, settings.Password);
        return client;
    }
}
