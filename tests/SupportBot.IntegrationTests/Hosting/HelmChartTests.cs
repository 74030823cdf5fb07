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
        var helpers = await File.ReadAllTextAsync(Path.Combine(Chart, "templates", "_helpers.tpl"));
        Assert.Contains("runAsNonRoot: true", helpers, StringComparison.Ordinal);
        Assert.Contains("readOnlyRootFilesystem: true", helpers, StringComparison.Ordinal);
        Assert.Contains("allowPrivilegeEscalation: false", helpers, StringComparison.Ordinal);
        foreach (var pod in new[] { deployment, await File.ReadAllTextAsync(Path.Combine(Chart, "templates", "ingest-job.yaml")) })
        {
            Assert.Contains("include \"supportbot.podSecurityContext\"", pod, StringComparison.Ordinal);
            Assert.Contains("include \"supportbot.containerSecurityContext\"", pod, StringComparison.Ordinal);
        }

        Assert.Contains("terminationGracePeriodSeconds: {{ add .Values.shutdownTimeoutSeconds 10 }}", deployment, StringComparison.Ordinal);
        Assert.Contains("value: {{ .Values.shutdownTimeoutSeconds | quote }}", deployment, StringComparison.Ordinal);

        var values = Values();
        Assert.Equal("30", ((YamlScalarNode)values["shutdownTimeoutSeconds"]).Value);
        foreach (var kind in new[] { "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "Service", "Deployment", "Job", "ServiceAccount" })
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

    [Fact]
    public void Every_environment_name_the_templates_set_is_a_key_the_host_reads()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var names = Directory.GetFiles(Path.Combine(Chart, "templates"))
            .SelectMany(f => EnvironmentName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.Contains("Teams__CertificatePath", names);
        Assert.Contains("Knowledge__IndexPath", names);
        Assert.All(names, name => Assert.Contains($"`{name.Replace("__", ":", StringComparison.Ordinal)}`", docs, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_helper_a_template_includes_is_defined()
    {
        var templates = Directory.GetFiles(Path.Combine(Chart, "templates")).Select(File.ReadAllText).ToList();
        var defined = templates.SelectMany(t => Regex.Matches(t, @"define ""([\w.]+)""").Select(m => m.Groups[1].Value)).ToHashSet();
        var included = templates.SelectMany(t => Regex.Matches(t, @"include ""([\w.]+)""").Select(m => m.Groups[1].Value)).Distinct();

        Assert.All(included, name => Assert.Contains(name, defined));
    }

    [Fact]
    public void The_ingest_job_runs_the_hosts_ingest_command_into_the_index_the_replicas_mount()
    {
        var job = File.ReadAllText(Path.Combine(Chart, "templates", "ingest-job.yaml"));
        var helpers = File.ReadAllText(Path.Combine(Chart, "templates", "_helpers.tpl"));
        var deployment = File.ReadAllText(Path.Combine(Chart, "templates", "deployment.yaml"));
        var indexPath = Regex.Match(helpers, @"name: Knowledge__IndexPath\s+value: (\S+)").Groups[1].Value;

        Assert.Contains("- ingest", job, StringComparison.Ordinal);
        Assert.Contains("\"helm.sh/hook\": pre-install,pre-upgrade", job, StringComparison.Ordinal);
        Assert.Contains($"mountPath: {indexPath}", job, StringComparison.Ordinal);
        Assert.Contains($"mountPath: {indexPath}", deployment, StringComparison.Ordinal);
        Assert.Contains(SupportBot.Host.Cli.SupportBotCli.Build().Subcommands, c => c.Name == "ingest");
    }

    private static YamlMappingNode Values()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Chart, "values.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"- name: (\w+__\w+)")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"path: (/\w+)")]
    private static partial Regex ProbePath();
}
