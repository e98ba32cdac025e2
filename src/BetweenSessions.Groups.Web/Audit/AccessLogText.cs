using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Audit;

/// <summary>An access-log entry as a sentence, for the person it is about ("Rae opened your support request") or for
/// a circle's facilitators ("Rae opened Sam's support request"), in the reader's language
/// (Resources/Audit/AccessLogText.resx). A sentence per action and per who is "you", as languages word those
/// differently: Spanish changes the verb for "you" ("Abriste") and the phrase for "yours" ("tu petición de apoyo").</summary>
public sealed class AccessLogText
{
    private AccessLogText() { }

    /// <summary>The actions that are about someone (the subject); the others are about the actor only.</summary>
    private static readonly HashSet<string> AboutSomeone =
    [
        AccessActions.OpenedSupportRequest, AccessActions.OpenedFacilitatorsOnly, AccessActions.AddedCoFacilitator,
        AccessActions.RemovedMember, AccessActions.IssuedResetLink,
    ];

    /// <summary>For callers without a localizer of their own (the API): the same resources, in the current UI culture.</summary>
    private static readonly Lazy<IStringLocalizer> Shared = new(() =>
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
            .Create(typeof(AccessLogText)));

    public static string Describe(AccessLogEntry e, string viewerId) => Describe(e, viewerId, Shared.Value);

    public static string Describe(AccessLogEntry e, string viewerId, IStringLocalizer text)
    {
        var byViewer = e.ActorId == viewerId;
        var aboutViewer = e.SubjectId == viewerId && AboutSomeone.Contains(e.Action);
        var actor = e.ActorName ?? text["Someone"];
        var subject = e.SubjectName ?? text["SomeoneElse"];
        var key = e.Action + (byViewer ? ".by-you" : "") + (aboutViewer ? ".about-you" : "");
        var sentence = text[key, actor, subject];
        return sentence.ResourceNotFound ? text["Unknown", byViewer ? text["You"] : actor, e.Action] : sentence;
    }
}
