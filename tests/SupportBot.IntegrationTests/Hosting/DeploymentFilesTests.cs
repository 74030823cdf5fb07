using System.Text.RegularExpressions;
using SupportBot.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>
/// The deployment files agree with the host: every variable they set is a key the host reads (docs/configuration.md,
/// itself checked against the host's settings), and the port the bot listens on is the one they route to.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = Repository.Root;

    [Fact]
    public void Compose_runs_redis_an_ingest_job_and_two_bot_replicas_behind_one_port()
    {
        var services = (YamlMappingNode)Load("deploy/compose.yaml")["services"];
        Assert.Contains("redis", Keys(services));
        Assert.Contains("ingest", Keys(services));
        var bot = (YamlMappingNode)services["bot"];
        Assert.Equal("2", ((YamlScalarNode)((YamlMappingNode)bot["deploy"])["replicas"]).Value);
        Assert.Equal("true", ((YamlScalarNode)Merged(bot)["read_only"]).Value);

        var environment = Environment(bot);
        Assert.Equal("redis:6379", environment["Redis__Configuration"]);
        var port = environment["ASPNETCORE_HTTP_PORTS"];
        Assert.Contains($"server bot:{port}", File.ReadAllText(Path.Combine(Root, "deploy", "nginx.conf")), StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {port}", File.ReadAllText(Path.Combine(Root, "Dockerfile")), StringComparison.Ordinal);

        var dependsOn = (YamlMappingNode)bot["depends_on"];
        Assert.Equal("service_completed_successfully", ((YamlScalarNode)((YamlMappingNode)dependsOn["ingest"])["condition"]).Value);
        Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)dependsOn["redis"])["condition"]).Value);
    }

    [Fact]
    public void Every_variable_the_deployment_files_set_is_a_setting_the_host_reads()
    {
        var docs = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));
        var services = (YamlMappingNode)Load("deploy/compose.yaml")["services"];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in new[] { "bot", "ingest" })
        {
            names.UnionWith(Environment((YamlMappingNode)services[service]).Keys);
        }

        names.UnionWith(File.ReadAllLines(Path.Combine(Root, "deploy", ".env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)[0]));
        names.UnionWith(DockerEnv().Matches(File.ReadAllText(Path.Combine(Root, "Dockerfile"))).Select(m => m.Groups[1].Value));
        Assert.NotEmpty(names);

        var unknown = names.Where(name => !docs.Contains($"`{Key(name)}`", StringComparison.Ordinal)).ToList();
        Assert.True(unknown.Count == 0, "not a documented setting: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_image_runs_as_a_non_root_user_on_the_chiseled_runtime()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra", dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER app$", dockerfile);
        Assert.Contains("ingest /app/samples/kb --index /app/index", dockerfile, StringComparison.Ordinal);
    }

    /// <summary>An environment variable's configuration key: <c>A__B</c> is <c>A:B</c>; <c>ASPNETCORE_X</c> is <c>x</c>-style.</summary>
    private static string Key(string variable) => variable switch
    {
        "ASPNETCORE_HTTP_PORTS" => "http_ports",
        "ASPNETCORE_HTTPS_PORTS" => "https_ports",
        "ASPNETCORE_URLS" => "urls",
        _ => variable.Replace("__", ":", StringComparison.Ordinal),
    };

    /// <summary>A service's environment, YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied as Compose applies them.</summary>
    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        Merged(service).TryGetValue("environment", out var node) && node is YamlMappingNode environment
            ? Merged(environment).ToDictionary(p => p.Key, p => ((YamlScalarNode)p.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : [];

    private static Dictionary<string, YamlNode> Merged(YamlMappingNode mapping)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && merged is YamlMappingNode inherited)
        {
            foreach (var (key, value) in Merged(inherited))
            {
                result[key] = value;
            }
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: not "<<" } name)
            {
                result[name.Value!] = value;
            }
        }

        return result;
    }

    private static IEnumerable<string> Keys(YamlMappingNode mapping) => mapping.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"(?m)^\s*(?:ENV\s+)?([A-Za-z_]+(?:__[A-Za-z]+)*)=\S*\s*\\?$")]
    private static partial Regex DockerEnv();
}
