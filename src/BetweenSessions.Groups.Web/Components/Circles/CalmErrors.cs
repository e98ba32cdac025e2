using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>
/// Runs one action a person took and turns a failure into words to show them calmly (role="alert"). An exception
/// escaping an event handler would end the whole circuit, so nothing a person does may throw past this.
/// </summary>
public sealed class CalmErrors
{
    private CalmErrors() { }

    // Static, as every page calls TryAsync without injecting anything; read in the reader's culture at the time.
    private static readonly IStringLocalizer Words = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(CalmErrors));

    /// <summary>Said when something unexpected failed, in the reader's language (CurrentUICulture).</summary>
    public static string Unexpected => Words["Unexpected"];

    /// <returns>null when it worked, otherwise the message to show.</returns>
    public static async Task<string?> TryAsync(Func<Task> action, ILogger logger)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex) when (ex is DomainValidationException or CircleAccessDeniedException or CircleNotFoundException)
        {
            // The domain's own messages are written for people: show them as they are.
            return ex.Message;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A circle page action failed");
            return Unexpected;
        }
    }
}
