using System.Collections.Frozen;

namespace SupportBot.Core.Languages;

/// <summary>
/// Tells which of the <see cref="KnownLanguages"/> a question or an article is written in, without a model.
/// Japanese is recognised by its script (kana, or kanji making up a good share of the letters). The Latin-script
/// languages are scored by their most frequent function words ("der", "est", "los", "the"), the letters only
/// they use (ß, ç, ñ, ¿) and a few word endings ("-ung", "-ción"); a word two languages share scores half a point
/// for each; French elisions (l', d', qu') count for French, but a lone letter never counts (initials such as
/// "J. Smith" are no evidence). Another language than the default wins only with clear evidence (a score of at
/// least <see cref="MinimumEvidence"/>, twice the runner-up's, and one point per <see cref="WordsPerPoint"/> words
/// of the text, so a long English page with a few foreign names stays English), so short or mixed text such as
/// "refund 3DS?" keeps the default. Only enabled languages are considered.
/// </summary>
public sealed class LanguageDetector
{
    /// <summary>Points another language needs before it replaces the default (about two function words).</summary>
    public const double MinimumEvidence = 2.0;

    /// <summary>Another language than the default needs a point per this many words (its function words are a third of real text).</summary>
    public const int WordsPerPoint = 10;

    // Enough of any article or thread to tell its language; the rest would only cost time.
    private const int MaxChars = 4_000;

    /// <summary>Every known language, English the default.</summary>
    public static LanguageDetector Standard { get; } = new(KnownLanguages.All, KnownLanguages.English);

    private static readonly FrozenDictionary<string, FrozenSet<string>> FunctionWords = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        // Collisions with English are left out of the other lists ("a", "on", "plus", "also", "will", "war", "me", "no").
        [KnownLanguages.English] = Words(
            "the", "and", "is", "are", "of", "to", "in", "for", "with", "that", "this", "it", "be", "by", "from", "how",
            "what", "when", "why", "where", "which", "who", "can", "do", "does", "did", "my", "i", "you", "your", "we", "our",
            "an", "or", "not", "have", "has", "had", "was", "were", "will", "would", "should", "there", "they", "their", "if",
            "at", "as", "after", "before", "about", "get", "long", "much", "many", "been", "but", "than", "into", "its",
            "these", "those", "them", "he", "she", "his", "her", "on", "a", "no", "any", "all", "more", "so", "also"),
        [KnownLanguages.German] = Words(
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "eines", "zu", "den",
            "dem", "des", "mit", "von", "für", "auf", "sich", "auch", "es", "wie", "wird", "werden", "wurde", "kann",
            "können", "ich", "wir", "sie", "ihr", "ihre", "mein", "meine", "unser", "unsere", "bei", "nach", "aus",
            "oder", "aber", "wenn", "dass", "noch", "nur", "schon", "zum", "zur", "im", "vom", "am", "über", "unter",
            "wann", "warum", "wieso", "wo", "wer", "welche", "welcher", "welches", "was", "hat", "haben", "sind",
            "kein", "keine", "bitte", "gibt", "muss", "müssen", "soll", "sollte", "durch", "ohne", "um", "bis", "wieder",
            "dauert", "lange", "nicht", "hier", "jetzt", "ja", "nein", "diese", "dieser", "dieses", "man"),
        [KnownLanguages.French] = Words(
            "le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "sont", "pour", "dans", "avec", "sur", "pas",
            "ne", "que", "qui", "quoi", "comment", "quand", "pourquoi", "où", "ce", "cette", "ces", "il", "elle", "ils",
            "elles", "nous", "vous", "je", "mon", "ma", "mes", "notre", "nos", "votre", "vos", "leur", "leurs", "au",
            "aux", "par", "se", "sa", "ses", "été", "être", "avoir", "fait", "peut", "peuvent", "faut", "combien", "quel",
            "quelle", "quels", "quelles", "mais", "ou", "très", "aussi",
            "en", "lorsque", "si", "puis", "dois", "doit", "être", "avez", "sommes", "êtes", "jours", "après", "avant"),
        [KnownLanguages.Spanish] = Words(
            "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "y", "en", "es", "son", "por", "para",
            "con", "que", "qué", "cómo", "cuándo", "cuánto", "cuánta", "cuántos", "cuántas", "dónde", "porque", "se", "su",
            "sus", "mi", "mis", "lo", "le", "les", "al", "como", "más", "pero", "este", "esta", "estos", "estas", "hay",
            "puede", "pueden", "puedo", "tiene", "tienen", "ya", "muy", "sin", "sobre", "también", "hasta", "desde",
            "cuando", "donde", "todo", "nos", "ser", "está", "están", "fue", "si", "sí", "y", "ni", "entre", "cuál",
            "cuáles", "tarda", "tardan", "hacer", "debo", "días", "después", "antes", "otro", "otra", "usted", "ustedes"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly (string Language, string Letters, double Weight)[] Letters =
    [
        (KnownLanguages.German, "äöüß", 0.5),
        (KnownLanguages.French, "àâèêëîïôùûçœ", 0.5),
        (KnownLanguages.French, "é", 0.5),
        (KnownLanguages.Spanish, "áíóúñ", 0.5),
        (KnownLanguages.Spanish, "é", 0.25),
    ];

    private static readonly (string Language, string Ending)[] Endings =
    [
        (KnownLanguages.German, "ung"), (KnownLanguages.German, "ungen"), (KnownLanguages.German, "keit"),
        (KnownLanguages.German, "heit"), (KnownLanguages.German, "lich"), (KnownLanguages.German, "schaft"),
        (KnownLanguages.French, "eux"), (KnownLanguages.French, "ée"), (KnownLanguages.French, "ées"),
        (KnownLanguages.French, "aient"), (KnownLanguages.French, "eur"),
        (KnownLanguages.Spanish, "ción"), (KnownLanguages.Spanish, "ciones"), (KnownLanguages.Spanish, "idad"),
        (KnownLanguages.Spanish, "mente"), (KnownLanguages.Spanish, "ando"), (KnownLanguages.Spanish, "iendo"),
        (KnownLanguages.English, "ing"), (KnownLanguages.English, "ness"),
    ];

    private readonly FrozenSet<string> _enabled;

    /// <param name="enabled">The languages to tell apart; the default is always among them.</param>
    /// <param name="defaultLanguage">What short or ambiguous text is taken to be.</param>
    public LanguageDetector(IEnumerable<string> enabled, string defaultLanguage)
    {
        ArgumentNullException.ThrowIfNull(enabled);
        Default = KnownLanguages.Normalize(defaultLanguage)
            ?? throw new ArgumentException($"'{defaultLanguage}' is not one of {string.Join(", ", KnownLanguages.All)}", nameof(defaultLanguage));
        var codes = new HashSet<string>(StringComparer.Ordinal) { Default };
        foreach (var language in enabled)
        {
            codes.Add(KnownLanguages.Normalize(language)
                ?? throw new ArgumentException($"'{language}' is not one of {string.Join(", ", KnownLanguages.All)}", nameof(enabled)));
        }

        _enabled = codes.ToFrozenSet(StringComparer.Ordinal);
        Enabled = [.. KnownLanguages.All.Where(_enabled.Contains)];
    }

    /// <summary>What short or ambiguous text is taken to be.</summary>
    public string Default { get; }

    /// <summary>The languages this detector tells apart, in <see cref="KnownLanguages.All"/> order.</summary>
    public IReadOnlyList<string> Enabled { get; }

    public bool IsEnabled(string language) => _enabled.Contains(language);

    /// <summary>The language of <paramref name="text"/>, or <see cref="Default"/> when it is short or ambiguous.</summary>
    public string Detect(string? text) => TryDetect(text) ?? Default;

    /// <summary>
    /// The language of a question: its own when it is clear, else the language of the earlier turns it follows
    /// ("und Kanada?" after a German thread), else <see cref="Default"/>.
    /// </summary>
    public string DetectQuestion(string question, IReadOnlyList<string> earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return TryDetect(question) ?? (earlier.Count == 0 ? null : TryDetect(string.Join('\n', earlier.TakeLast(3)))) ?? Default;
    }

    /// <summary>
    /// An enabled language the text is clearly written in, or null when it is too short or ambiguous to tell.
    /// </summary>
    public string? TryDetect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var span = text.AsSpan(0, Math.Min(text.Length, MaxChars));
        if (IsEnabled(KnownLanguages.Japanese) && IsJapanese(span))
        {
            return KnownLanguages.Japanese;
        }

        var scores = Score(span, out var words);
        string? best = null;
        double bestScore = 0, second = 0;
        foreach (var (language, score) in scores)
        {
            if (score > bestScore)
            {
                second = bestScore;
                best = language;
                bestScore = score;
            }
            else if (score > second)
            {
                second = score;
            }
        }

        if (best is null || bestScore < MinimumEvidence / 2)
        {
            return null;
        }

        if (best == Default)
        {
            return bestScore > second ? best : null;
        }

        return bestScore >= Math.Max(MinimumEvidence, words / (double)WordsPerPoint) && bestScore >= 2 * second ? best : null;
    }

    /// <summary>
    /// Kana mark Japanese; kanji without kana (Chinese, or a Japanese heading) count too when they are a good
    /// share of the letters, since the Japanese analyzer's bigrams serve any CJK text better than a Latin one.
    /// </summary>
    private static bool IsJapanese(ReadOnlySpan<char> text)
    {
        int kana = 0, kanji = 0, letters = 0;
        foreach (var c in text)
        {
            if (c is >= '\u3040' and <= '\u30FF' or >= '\uFF66' and <= '\uFF9F')
            {
                kana++;
            }
            else if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF')
            {
                kanji++;
            }
            else if (char.IsLetter(c))
            {
                letters++;
            }
        }

        var cjk = kana + kanji;
        if (cjk < 2)
        {
            return false;
        }

        // A Latin word is several letters; a CJK character is about a word's worth.
        var share = cjk / (double)(cjk + (letters / 4.0));
        return kana > 0 ? share >= 0.3 : share >= 0.5;
    }

    private Dictionary<string, double> Score(ReadOnlySpan<char> text, out int words)
    {
        words = 0;
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var language in Enabled)
        {
            if (language != KnownLanguages.Japanese)
            {
                scores[language] = 0;
            }
        }

        if (text.Contains('¿') || text.Contains('¡'))
        {
            Add(KnownLanguages.Spanish, 1);
        }

        Span<char> lower = stackalloc char[64];
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetter(text[i]))
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                var word = text[start..i];
                start = -1;
                words++;
                if (i < text.Length && text[i] is '\'' or '’' && IsElision(word))
                {
                    Add(KnownLanguages.French, 1);
                }
                else if (word.Length <= lower.Length)
                {
                    var length = word.ToLowerInvariant(lower);
                    ScoreWord(lower[..length]);
                }
            }
        }

        return scores;

        void ScoreWord(ReadOnlySpan<char> word)
        {
            // A function word of k languages is a point shared among them: "que" says "French or Spanish", no more.
            var asString = word.ToString();
            var sharing = 0;
            foreach (var (_, words) in FunctionWords)
            {
                sharing += words.Contains(asString) ? 1 : 0;
            }

            foreach (var (language, words) in FunctionWords)
            {
                if (words.Contains(asString))
                {
                    Add(language, 1.0 / sharing);
                }
            }

            foreach (var (language, letters, weight) in Letters)
            {
                if (word.IndexOfAny(letters) >= 0)
                {
                    Add(language, weight);
                }
            }

            foreach (var (language, ending) in Endings)
            {
                if (word.Length > ending.Length + 2 && word.EndsWith(ending, StringComparison.Ordinal))
                {
                    Add(language, 0.5);
                }
            }
        }

        void Add(string language, double points)
        {
            if (scores.TryGetValue(language, out var score))
            {
                scores[language] = score + points;
            }
        }
    }

    /// <summary>French elided articles and pronouns before an apostrophe: l'acheteur, d'un, qu'il, n'est.</summary>
    private static bool IsElision(ReadOnlySpan<char> word) =>
        word is "l" or "L" or "d" or "D" or "j" or "J" or "n" or "N" or "c" or "C" or "s" or "S" or "m" or "M" or "t" or "T" or "qu" or "Qu" or "QU";

    private static FrozenSet<string> Words(params string[] words) => words.ToFrozenSet(StringComparer.Ordinal);
}
