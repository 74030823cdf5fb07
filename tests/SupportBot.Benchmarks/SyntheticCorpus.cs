using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Search;

namespace SupportBot.Benchmarks;

/// <summary>
/// Deterministic synthetic knowledge: articles of five sections each (one passage per section) over a
/// 20,000-word vocabulary drawn with a Zipf distribution, like real text.
/// </summary>
internal static class SyntheticCorpus
{
    private const int Vocabulary = 20_000;
    private const int SectionsPerArticle = 5;
    private const int WordsPerSection = 90;

    private static readonly string[] Words = [.. Enumerable.Range(0, Vocabulary).Select(Word)];
    private static readonly double[] Cumulative = ZipfCumulative();

    public static IEnumerable<Article> Articles(int chunks, int seed = 7)
    {
        var random = new Random(seed);
        for (var a = 0; a < chunks / SectionsPerArticle; a++)
        {
            var body = new StringBuilder();
            body.Append(Sentence(random, WordsPerSection)).Append("\n\n");
            for (var s = 1; s < SectionsPerArticle; s++)
            {
                body.Append("## ").Append(Sentence(random, 3)).Append('\n').Append(Sentence(random, WordsPerSection)).Append("\n\n");
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"article-{a}");
            yield return new Article(id, Sentence(random, 5), a % 4 == 0 ? "payouts" : "general", $"https://kb.example/{id}", null, $"{id}.md", body.ToString());
        }
    }

    /// <summary>
    /// Questions of 3–8 words from the same distribution, minus the 100 most frequent words: in real
    /// text those are function words, which the analyzer drops as stop words.
    /// </summary>
    public static string[] Questions(int count, int seed = 11)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var words = Enumerable.Range(0, random.Next(3, 9)).Select(_ => Words[Math.Max(Draw(random), 100 + random.Next(900))]);
            return "How do I " + string.Join(' ', words) + "?";
        })];
    }

    public static (KnowledgeIndex Index, LuceneKnowledgeSearch Search) Open(string path, KnowledgeSearchOptions? ranking = null)
    {
        var index = new KnowledgeIndex(Options.Create(new KnowledgeOptions { IndexPath = path }), NullLogger<KnowledgeIndex>.Instance);
        return (index, new LuceneKnowledgeSearch(index, Options.Create(ranking ?? new KnowledgeSearchOptions())));
    }

    private static string Sentence(Random random, int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                text.Append(i % 15 == 0 ? ". " : " ");
            }

            text.Append(Words[Draw(random)]);
        }

        return text.Append('.').ToString();
    }

    private static int Draw(Random random)
    {
        var index = Array.BinarySearch(Cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, Vocabulary - 1);
    }

    private static double[] ZipfCumulative()
    {
        var weights = Enumerable.Range(1, Vocabulary).Select(r => 1.0 / r).ToArray();
        var total = weights.Sum();
        var cumulative = new double[Vocabulary];
        var sum = 0.0;
        for (var i = 0; i < Vocabulary; i++)
        {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }

        return cumulative;
    }

    // Pronounceable, distinct, and not English stop words or stems of each other.
    private static string Word(int n)
    {
        const string consonants = "bcdfghjklmnprstvz";
        const string vowels = "aeiou";
        var word = new StringBuilder("q");
        do
        {
            word.Append(consonants[n % consonants.Length]);
            n /= consonants.Length;
            word.Append(vowels[n % vowels.Length]);
            n /= vowels.Length;
        }
        while (n > 0);

        return word.Append('x').ToString();
    }
}
