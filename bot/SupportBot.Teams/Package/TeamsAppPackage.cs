using System.IO.Compression;
using System.Text;

namespace SupportBot.Teams.Package;

/// <summary>
/// The Teams app package to upload: <c>manifest.json</c> (from manifests/teams, filled in for a
/// deployment) and that folder's <c>color.png</c> (192×192) and <c>outline.png</c> (32×32, white on
/// transparent), zipped flat as Teams requires.
/// </summary>
public static class TeamsAppPackage
{
    public const string FileName = "supportbot-teams.zip";

    /// <summary>The manifest for a deployment: the bot's app id and the public base URL of its host.</summary>
    public static string Manifest(string appId, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return Encoding.UTF8.GetString(Resource("manifest.json"))
            .Replace("${{TEAMS_APP_ID}}", appId, StringComparison.Ordinal)
            .Replace("${{BASE_URL}}", baseUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            .Replace("${{BASE_DOMAIN}}", baseUrl.IsDefaultPort ? baseUrl.Host : $"{baseUrl.Host}:{baseUrl.Port}", StringComparison.Ordinal);
    }

    /// <summary>Writes the zip to <paramref name="outputFolder"/> and returns its path.</summary>
    public static string Write(string appId, Uri baseUrl, string outputFolder)
    {
        Directory.CreateDirectory(outputFolder);
        var path = Path.Combine(outputFolder, FileName);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add(zip, "manifest.json", Encoding.UTF8.GetBytes(Manifest(appId, baseUrl)));
        Add(zip, "color.png", Resource("color.png"));
        Add(zip, "outline.png", Resource("outline.png"));
        return path;
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(TeamsAppPackage).Assembly.GetManifestResourceStream($"SupportBot.Teams.{name}")
            ?? throw new InvalidOperationException($"The Teams app package's {name} is missing from the program.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
