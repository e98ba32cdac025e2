using System.Globalization;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Grains.Hosting;

/// <summary>
/// Carries the caller's language into a grain call, so what a grain says back (a refusal, a default prompt) is in the
/// language of the person who asked, not in whatever culture the silo's scheduler thread has. The outgoing side puts
/// the caller's UI culture in the call's request context; the incoming side sets it for the call's duration.
/// </summary>
public sealed class CallerCulture : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
{
    private const string Key = "bsg.culture";

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        var culture = CultureInfo.CurrentUICulture;
        if (!culture.Equals(CultureInfo.InvariantCulture)) RequestContext.Set(Key, culture.Name);
        return context.Invoke();
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(Key) is not string name || !TryGetCulture(name, out var culture))
        {
            await context.Invoke();
            return;
        }
        var (ui, formatting) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = culture;
        try
        {
            await context.Invoke();
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
            CultureInfo.CurrentCulture = formatting;
        }
    }

    // The name crossed a process boundary: a culture this machine does not know is ignored, never an error.
    private static bool TryGetCulture(string name, out CultureInfo culture)
    {
        try
        {
            culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return true;
        }
        catch (CultureNotFoundException)
        {
            culture = CultureInfo.InvariantCulture;
            return false;
        }
    }
}
