using SupportBot.Core.Languages;

namespace SupportBot.Knowledge.Index;

/// <summary>
/// The searchable fields of one language. English passages keep the index's original fields (<c>title</c>,
/// <c>section</c>, <c>text</c>), so English ranking is what it always was; every other language has its own
/// (<c>text_de</c>…), analysed by its own analyzer (<see cref="LanguageAnalysis"/>) and with its own term
/// statistics, so a German stem never meets an English one. The stored title and section stay in the
/// original fields for every language.
/// </summary>
internal sealed record LanguageFields(string Language, string Title, string Section, string Text)
{
    public static LanguageFields English { get; } = new(KnownLanguages.English, IndexFields.Title, IndexFields.Section, IndexFields.Text);

    private static readonly Dictionary<string, LanguageFields> ByLanguage = KnownLanguages.All.ToDictionary(
        language => language,
        language => language == KnownLanguages.English
            ? English
            : new LanguageFields(language, $"{IndexFields.Title}_{language}", $"{IndexFields.Section}_{language}", $"{IndexFields.Text}_{language}"),
        StringComparer.Ordinal);

    /// <summary>Every language's fields, English first.</summary>
    public static IReadOnlyList<LanguageFields> All { get; } = [.. KnownLanguages.All.Select(l => ByLanguage[l])];

    /// <summary>The fields of <paramref name="language"/>; English's for a language the index does not analyse.</summary>
    public static LanguageFields For(string? language) =>
        language is not null && ByLanguage.TryGetValue(language, out var fields) ? fields : English;

    /// <summary>True for the original (English) fields, whose title and section are also the stored ones.</summary>
    public bool Original => ReferenceEquals(this, English);
}
