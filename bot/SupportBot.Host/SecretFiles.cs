using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.FileProviders;

namespace SupportBot.Host;

/// <summary>
/// Secrets mounted as files, one file per key (a Kubernetes secret volume, compose or Docker secrets): the file
/// <c>Slack__SigningSecret</c> holds <c>Slack:SigningSecret</c>. Read from <c>SecretsDirectory</c>, by default
/// <c>/run/secrets</c> when it exists; they override <c>appsettings.json</c> and the environment, and the command line
/// overrides them.
/// </summary>
internal static class SecretFiles
{
    public const string DirectoryKey = "SecretsDirectory";
    public const string DefaultDirectory = "/run/secrets";

    public static void AddSecretFiles(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var directory = configuration[DirectoryKey] is { Length: > 0 } configured ? configured : DefaultDirectory;
        if (!Directory.Exists(directory))
        {
            if (!string.IsNullOrEmpty(configuration[DirectoryKey]))
            {
                throw new InvalidOperationException($"{DirectoryKey}: the folder {directory} does not exist.");
            }

            return;
        }

        var source = new KeyPerFileConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(Path.GetFullPath(directory)),
            Optional = true,
            ReloadOnChange = false,
        };
        var sources = configuration.Sources;
        var commandLine = sources.ToList().FindLastIndex(s => s is CommandLineConfigurationSource);
        if (commandLine < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(commandLine, source);
        }
    }
}
