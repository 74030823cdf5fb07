using System.Net;
using System.Text.RegularExpressions;
using SupportBot.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>
/// The Helm chart agrees with the host: its probes are the host's health endpoints, its port the one the image
/// listens on, its grace period longer than the host's shutdown timeout, and every setting it passes a key the host
/// reads. Templates are read as text (no cluster or helm binary here); values.yaml is parsed.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string Chart = Path.Combine(Repository.Root, "deploy", "helm", "supportbot");

    [Fact]
    public async Task The_probes_are_the_hosts_health_endpoints_and_the_port_is_the_images()
    {
        var deployment = await File.ReadAllTextAsync(Path.Combine(Chart, "templates", "deployment.yaml"));
        var probes = ProbePath().Matches(deployment).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["/healthz", "/readyz"], probes.Order(StringComparer.Ordinal));

        await using var host = await BotHost.StartAsync();
        foreach (var path in probes)
        {
            using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Contains("containerPort: 8080", deployment, StringComparison.Ordinal);
        Assert.Matches(@"name: ASPNETCORE_HTTP_PORTS\s+value: ""8080""", deployment);
        Assert.Contains("EXPOSE 8080", await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Dockerfile")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pods_run_non_root_read_only_and_outlast_the_hosts_shutdown()
    {
        var deployment = await File.ReadAllTextAsync(Path.Combine(Chart, "templates", "deployment.yaml"));
        Assert.Contains("runAsNonRoot: true", deployment, StringComparison.Ordinal);
        Assert.Contains("readOnlyRootFilesystem: true", deployment, StringComparison.Ordinal);
        Assert.Contains("allowPrivilegeEscalation: false", deployment, StringComparison.Ordinal);
        Assert.Contains("terminationGracePeriodSeconds: {{ add .Values.shutdownTimeoutSeconds 10 }}", deployment, StringComparison.Ordinal);
        Assert.Contains("value: {{ .Values.shutdownTimeoutSeconds | quote }}", deployment, StringComparison.Ordinal);

        var values = Values();
        Assert.Equal("30", ((YamlScalarNode)values["shutdownTimeoutSeconds"]).Value);
        foreach (var kind in new[] { "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "Service", "Deployment" })
        {
            Assert.Contains(Directory.GetFiles(Path.Combine(Chart, "templates"), "*.yaml"), f => File.ReadAllText(f).Contains($"kind: {kind}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_setting_in_the_values_is_a_key_the_host_reads()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var config = (YamlMappingNode)Values()["config"];
        var names = config.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains($"`{name.Replace("__", ":", StringComparison.Ordinal)}`", docs, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_template_action_is_closed()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Chart, "templates")))
        {
            var text = File.ReadAllText(file);
            Assert.True(Regex.Count(text, @"\{\{") == Regex.Count(text, @"\}\}"), $"{Path.GetFileName(file)}: unbalanced {{{{ }}}}");
        }
    }

    private static YamlMappingNode Values()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Chart, "values.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"path: (/\w+)")]
    private static partial Regex ProbePath();
}
