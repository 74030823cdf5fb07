using System.Collections.Frozen;

namespace SupportBot.Core.Languages;

/// <summary>
/// The languages the knowledge index analyses with their own analyzers, by ISO 639-1 code, and how
/// articles may name them (<c>de</c>, <c>de-CH</c>, <c>de_DE</c>, <c>German</c>, <c>Deutsch</c>).
/// </summary>
public static class KnownLanguages
{
    public const string English = "en";
    public const string German = "de";
    public const string French = "fr";
    public const string Spanish = "es";
    public const string Japanese = "ja";

    public static IReadOnlyList<string> All { get; } = [English, German, French, Spanish, Japanese];

    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["english"] = English,
        ["german"] = German,
        ["deutsch"] = German,
        ["french"] = French,
        ["français"] = French,
        ["francais"] = French,
        ["spanish"] = Spanish,
        ["español"] = Spanish,
        ["espanol"] = Spanish,
        ["castellano"] = Spanish,
        ["japanese"] = Japanese,
        ["日本語"] = Japanese,
        ["jp"] = Japanese,
        ["jpn"] = Japanese,
        ["eng"] = English,
        ["deu"] = German,
        ["ger"] = German,
        ["fra"] = French,
        ["fre"] = French,
        ["spa"] = Spanish,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> EnglishNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [English] = "English",
        [German] = "German",
        [French] = "French",
        [Spanish] = "Spanish",
        [Japanese] = "Japanese",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The code of a language as written in front matter or configuration (a code, a locale or a name), or
    /// null when it is empty or not one of <see cref="All"/>.
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim().Trim('"', '\'');
        if (Names.TryGetValue(text, out var named))
        {
            return named;
        }

        // A locale: the language subtag before "-" or "_" (de-CH, pt_BR).
        var cut = text.IndexOfAny(['-', '_']);
        var primary = (cut > 0 ? text[..cut] : text).ToLowerInvariant();
        return All.Contains(primary) ? primary : Names.GetValueOrDefault(primary);
    }

    /// <summary>The language's English name ("German"), for instructions to a model; the code itself when unknown.</summary>
    public static string NameOf(string code) => EnglishNames.GetValueOrDefault(code, code);
}
