using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>
/// Runs one action a person took and turns a failure into words to show them calmly (role="alert"). An exception
/// escaping an event handler would end the whole circuit, so nothing a person does may throw past this.
/// </summary>
public static class CalmErrors
{
    public const string Unexpected = "That did not go through. Nothing is lost on your side; please try again in a moment.";

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
