using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SupportBot.Core.Configuration;
using SupportBot.Host;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Hosting;

/// <summary>docs/configuration.md names every setting the host binds: a key added in code and not documented fails here.</summary>
public sealed class ConfigurationDocsTests
{
    [Fact]
    public async Task Every_setting_the_host_reads_is_documented()
    {
        await using var app = SupportBotWebApp.Create([$"--Knowledge:IndexPath={BotHost.SharedIndexPath}", "--WarmUp:Rounds=0"]);
        var docs = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "configuration.md"));

        var sections = app.Services.GetServices<BoundSection>().DistinctBy(s => s.Path).ToList();
        Assert.NotEmpty(sections);
        var missing = sections.SelectMany(s => Keys(s.Path, s.OptionsType)).Where(key => !docs.Contains($"`{key}`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "not in docs/configuration.md: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && (p.CanWrite || UnknownKeys.IsNested(p.PropertyType) || IsList(p.PropertyType))))
        {
            var key = $"{prefix}:{property.Name}";
            if (UnknownKeys.IsNested(property.PropertyType))
            {
                foreach (var inner in Keys(key, property.PropertyType))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    // A list the binder fills (IList<string> Key { get; } = []); read-only and computed views are not settings.
    private static bool IsList(Type type) =>
        !type.IsArray && type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IList<>) || definition == typeof(ICollection<>) || definition == typeof(List<>));
}
