using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupportBot.IntegrationTests.Teams;

/// <summary>Microsoft's sample Teams payloads (tests/fixtures/teams, copied to the output folder) and a check of a payload's shape against one.</summary>
internal static class TeamsSamples
{
    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "teams", name)))!.AsObject();

    /// <summary>
    /// Every property of <paramref name="sample"/> is in <paramref name="actual"/> with the same JSON type (objects and arrays
    /// recursively; an array element is matched with the element of the same <c>type</c>, else the first), except the
    /// <paramref name="optional"/> paths (<c>entities[].citation[].appearance.keywords</c>), which may be missing.
    /// </summary>
    public static void AssertSameShape(JsonNode sample, JsonNode? actual, params string[] optional) =>
        Compare(sample, actual, "$", optional.Select(o => "$." + o).ToHashSet(StringComparer.Ordinal));

    private static void Compare(JsonNode sample, JsonNode? actual, string path, HashSet<string> optional)
    {
        Assert.True(actual is not null, $"{path} is missing");
        var expected = sample.GetValueKind();
        var kind = actual!.GetValueKind();
        Assert.True(Same(expected, kind), $"{path} is {kind}, the sample's is {expected}");
        switch (sample)
        {
            case JsonObject fields:
                foreach (var (name, value) in fields)
                {
                    var child = $"{path}.{name}";
                    var theirs = actual.AsObject()[name];
                    if (theirs is null && optional.Contains(child))
                    {
                        continue;
                    }

                    Assert.True(actual.AsObject().ContainsKey(name), $"{child} is missing");
                    Compare(value!, theirs, child, optional);
                }

                break;
            case JsonArray items:
                var ours = actual.AsArray();
                foreach (var item in items)
                {
                    var type = item is JsonObject o && o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
                    var match = type is null ? ours.FirstOrDefault() : ours.OfType<JsonObject>().FirstOrDefault(e => e["type"]?.GetValueKind() == JsonValueKind.String && e["type"]!.GetValue<string>() == type);
                    Compare(item!, match, $"{path}[]", optional);
                }

                break;
        }
    }

    private static bool Same(JsonValueKind expected, JsonValueKind actual) =>
        expected == actual || (expected is JsonValueKind.True or JsonValueKind.False && actual is JsonValueKind.True or JsonValueKind.False);
}
