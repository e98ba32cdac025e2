using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace BetweenSessions.Groups.Web.Shell;

/// <summary>
/// The name of this release of the app shell: the service worker's cache carries it, so a release whose static files
/// differ in any byte gets a new cache and the old one is deleted. Derived from the files themselves and the versions
/// of the assemblies whose scripts the pages load, not from a number someone must remember to raise.
/// </summary>
internal sealed record ShellRelease(string Name)
{
    public static ShellRelease Of(IWebHostEnvironment environment)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        // This app, the framework's blazor.web.js and Radzen's script and theme come from these assemblies' packages.
        foreach (var assembly in new[] { typeof(ShellRelease).Assembly, typeof(Microsoft.AspNetCore.Components.ComponentBase).Assembly, typeof(Radzen.Colors).Assembly })
            Add(assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "");
        if (environment.WebRootPath is { } root && Directory.Exists(root))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
                hash.AppendData(File.ReadAllBytes(file));
            }
        }
        return new ShellRelease(Convert.ToHexStringLower(hash.GetHashAndReset())[..16]);
    }
}
