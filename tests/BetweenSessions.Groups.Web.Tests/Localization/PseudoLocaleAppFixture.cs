using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The app with every word from resources wrapped in ⟦ ⟧, so a page can be read for words that did not come from
/// them: whatever is outside the markers was written into the page itself and would stay English in Spanish.
/// </summary>
public sealed class PseudoLocaleAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, pseudo-locale";
    public const char Open = '⟦', Close = '⟧';

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStringLocalizerFactory>(provider => new MarkingFactory(new ResourceManagerStringLocalizerFactory(
            provider.GetRequiredService<IOptions<LocalizationOptions>>(), provider.GetRequiredService<ILoggerFactory>())));

    private sealed class MarkingFactory(IStringLocalizerFactory inner) : IStringLocalizerFactory
    {
        public IStringLocalizer Create(Type resourceSource) => new Marking(inner.Create(resourceSource));

        public IStringLocalizer Create(string baseName, string location) => new Marking(inner.Create(baseName, location));
    }

    private sealed class Marking(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Mark(inner[name]);

        public LocalizedString this[string name, params object[] arguments] => Mark(inner[name, arguments]);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures).Select(Mark);

        // A missing key stays unmarked, so the page shows it as the untranslated word it is.
        private static LocalizedString Mark(LocalizedString found) =>
            found.ResourceNotFound ? found : new LocalizedString(found.Name, $"{Open}{found.Value}{Close}", false, found.SearchedLocation);
    }
}

[CollectionDefinition(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleAppCollection : ICollectionFixture<PseudoLocaleAppFixture>;
