namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>The checkout the tests run from: files users read (docs, deployment files, manifests) are checked against the code.</summary>
public static class Repository
{
    /// <summary>The folder holding <c>SupportBot.sln</c>, found above the test output folder.</summary>
    public static string Root { get; } = Find();

    /// <summary>A path inside the checkout, from its parts (<c>Repository.File("deploy", "compose.yaml")</c>).</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SupportBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SupportBot.sln not found above the test output folder.");
    }
}
