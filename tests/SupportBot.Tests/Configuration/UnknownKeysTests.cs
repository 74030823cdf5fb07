using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportBot.Core.Configuration;
using SupportBot.Core.Queue;

namespace SupportBot.Tests.Configuration;

public sealed class UnknownKeysTests
{
    private static IConfiguration Configuration(params string[] settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])))
        .Build();

    private sealed class Nested
    {
        public int Depth { get; set; }
    }

    private sealed class Sample
    {
        public int Concurrency { get; set; }

        public Nested Inner { get; set; } = new();

        public List<string> Teams { get; set; } = [];

        public Dictionary<string, string> Labels { get; set; } = [];
    }

    [Fact]
    public void A_misspelled_key_is_named_with_the_nearest_setting()
    {
        var configuration = Configuration("S:Concurency=8", "S:Inner:Dept=2", "S:Whatever=1");

        var unknown = UnknownKeys.Find(configuration.GetSection("S"), typeof(Sample), new HashSet<string>()).ToList();

        Assert.Equal(
            ["S:Concurency: no such setting; did you mean S:Concurrency?", "S:Inner:Dept: no such setting; did you mean S:Inner:Depth?", "S:Whatever: no such setting"],
            unknown.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Known_keys_in_any_case_list_entries_dictionary_keys_and_other_bound_sections_are_accepted()
    {
        var configuration = Configuration("S:concurrency=8", "S:Inner:Depth=2", "S:Teams:0=risk", "S:Labels:anything=x", "S:Search:K1=1.1");

        Assert.Empty(UnknownKeys.Find(configuration.GetSection("S"), typeof(Sample), new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "S:Search" }));
    }

    [Fact]
    public void The_host_refuses_to_start_on_an_unknown_key_under_one_of_its_sections()
    {
        var configuration = Configuration("Queue:Concurency=8");
        var services = new ServiceCollection();
        services.AddValidatedOptions<QueueOptions>(configuration, QueueOptions.Section);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QueueOptions>>().Value);
        Assert.Contains("Queue:Concurency: no such setting; did you mean Queue:Concurrency?", error.Failures);
    }
}
