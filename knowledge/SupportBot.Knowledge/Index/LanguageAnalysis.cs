using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Es;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using SupportBot.Core.Languages;

namespace SupportBot.Knowledge.Index;

/// <summary>
/// One Lucene analyzer per language, and the per-field analyzer the index is written and searched with.
/// German, French and Spanish use Lucene's analyzers for them (their stop words plus the question words agents
/// type, light stemming); English keeps its analyzer and shared stop words. Japanese is read as CJK bigrams:
/// Lucene's morphological Japanese analyzer (Kuromoji) is not among the packages this project takes, and
/// overlapping pairs of kanji and katakana find Japanese words without a dictionary. Hiragana, which mostly
/// carries particles and verb endings (の, は, ます), is left out so it does not match every Japanese passage.
/// </summary>
internal static class LanguageAnalysis
{
    public static Analyzer English { get; } = new EnglishAnalyzer(KnowledgeIndex.Version, StopWords.Set);

    public static Analyzer German { get; } = new GermanAnalyzer(KnowledgeIndex.Version, With(GermanAnalyzer.DefaultStopSet,
        "wie", "lange", "warum", "wieso", "weshalb", "wann", "welche", "welcher", "welches", "wo", "bitte", "kann", "können", "muss", "müssen",
        "gibt", "eigentlich", "genau", "dauert", "dauern"));

    public static Analyzer French { get; } = new FrenchAnalyzer(KnowledgeIndex.Version, With(FrenchAnalyzer.DefaultStopSet,
        "comment", "combien", "pourquoi", "quand", "quel", "quelle", "quels", "quelles", "est-ce", "faut", "peut", "puis", "dois", "doit"));

    public static Analyzer Spanish { get; } = new SpanishAnalyzer(KnowledgeIndex.Version, With(SpanishAnalyzer.DefaultStopSet,
        "cómo", "cuánto", "cuánta", "cuántos", "cuántas", "cuándo", "dónde", "qué", "cuál", "cuáles", "puedo", "puede", "debo", "tarda", "tardan"));

    public static Analyzer Japanese { get; } = new JapaneseBigramAnalyzer();

    /// <summary>What the index is written and searched with: each language's fields by that language's analyzer.</summary>
    public static Analyzer PerField { get; } = new PerFieldAnalyzerWrapper(
        English,
        LanguageFields.All.Where(f => !f.Original)
            .SelectMany(f => new[] { f.Title, f.Section, f.Text }.Select(field => (Field: field, Analyzer: For(f.Language))))
            .ToDictionary(p => p.Field, p => p.Analyzer, StringComparer.Ordinal));

    public static Analyzer For(string language) => language switch
    {
        KnownLanguages.German => German,
        KnownLanguages.French => French,
        KnownLanguages.Spanish => Spanish,
        KnownLanguages.Japanese => Japanese,
        _ => English,
    };

    private static CharArraySet With(CharArraySet defaults, params string[] words)
    {
        var set = new CharArraySet(KnowledgeIndex.Version, defaults, ignoreCase: true);
        foreach (var word in words)
        {
            set.Add(word);
        }

        return set;
    }

    /// <summary>
    /// Lucene's CJK analysis (width folding, lower case, bigrams) with bigrams of kanji and katakana only, and
    /// hiragana dropped; Latin words and numbers in the text pass through as they are (3D, API, 401).
    /// </summary>
    private sealed class JapaneseBigramAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(KnowledgeIndex.Version, reader);
            TokenStream result = new CJKWidthFilter(source);
            result = new LowerCaseFilter(KnowledgeIndex.Version, result);
            result = new CJKBigramFilter(result, CJKScript.HAN | CJKScript.KATAKANA);
            result = new HiraganaFilter(result);
            result = new StopFilter(KnowledgeIndex.Version, result, StopAnalyzer.ENGLISH_STOP_WORDS_SET);
            return new TokenStreamComponents(source, result);
        }
    }

    /// <summary>Drops tokens that are hiragana only.</summary>
    private sealed class HiraganaFilter(TokenStream input) : FilteringTokenFilter(KnowledgeIndex.Version, input)
    {
        private readonly ICharTermAttribute _term = input.AddAttribute<ICharTermAttribute>();

        protected override bool Accept()
        {
            for (var i = 0; i < _term.Length; i++)
            {
                if (_term.Buffer[i] is < '\u3040' or > '\u309F')
                {
                    return true;
                }
            }

            return false;
        }
    }
}
