using System.Text.Json;
using System.Text.RegularExpressions;
using SupportBot.Core.Answering;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;

namespace SupportBot.Host.Evaluation;

/// <summary>One question of an answer-quality set: <c>article</c> is the slug that answers it, or null when out of scope.</summary>
public sealed record AnswerQuestion(string Question, string? Article);

/// <summary>Answer quality over a question set.</summary>
/// <param name="Answerable">Questions the knowledge base answers.</param>
/// <param name="OutOfScope">Questions it does not.</param>
/// <param name="AnsweredAnswerable">Share of answerable questions answered confidently.</param>
/// <param name="DeclinedOutOfScope">Share of out-of-scope questions declined.</param>
/// <param name="CitedRightArticle">Share of confident answers to answerable questions that cite the article that answers them.</param>
/// <param name="SupportedSentences">Share of cited sentences whose content is found in the article they cite.</param>
/// <param name="Provider">The drafter that answered (the first fallback, if any, shows as <c>fallback</c>).</param>
public sealed record AnswerQuality(
    int Answerable,
    int OutOfScope,
    double AnsweredAnswerable,
    double DeclinedOutOfScope,
    double CitedRightArticle,
    double SupportedSentences,
    string Provider,
    int Fallbacks);

/// <summary>
/// Asks every question through the same <see cref="AnswerService"/> chat uses and checks the answers:
/// refusals out of scope, answers in scope, the right article cited, and each cited sentence supported
/// by the article it cites (most of its content terms occur there).
/// </summary>
public static partial class AnswerEvaluation
{
    /// <summary>A sentence counts as supported when this share of its content terms occurs in the cited article.</summary>
    public const double SupportThreshold = 0.6;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<AnswerQuestion> ReadQuestions(string path) =>
        [.. File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<AnswerQuestion>(l, Json)!)];

    public static async Task<AnswerQuality> RunAsync(AnswerService answers, IReadOnlyList<AnswerQuestion> questions, IReadOnlyDictionary<string, Article> articlesBySource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(questions);
        int answerable = 0, answered = 0, outOfScope = 0, declined = 0, rightArticle = 0, cited = 0, supported = 0, fallbacks = 0;
        var provider = string.Empty;
        foreach (var question in questions)
        {
            var answer = await answers.AnswerAsync(new AnswerRequest(question.Question, []), cancellationToken);
            provider = answer.Provider;
            fallbacks += answer.Fallback ? 1 : 0;
            if (question.Article is null)
            {
                outOfScope++;
                declined += answer.Confident ? 0 : 1;
                continue;
            }

            answerable++;
            if (!answer.Confident)
            {
                continue;
            }

            answered++;
            rightArticle += answer.Citations.Any(c => Path.GetFileNameWithoutExtension(c.Source) == question.Article) ? 1 : 0;
            foreach (var (sentence, numbers) in CitedSentences(answer.Text))
            {
                cited++;
                var sources = answer.Citations.Where(c => numbers.Contains(c.N)).Select(c => articlesBySource.GetValueOrDefault(c.Source));
                supported += sources.Any(article => article is not null && IsSupported(sentence, article)) ? 1 : 0;
            }
        }

        return new AnswerQuality(
            answerable,
            outOfScope,
            Share(answered, answerable),
            Share(declined, outOfScope),
            Share(rightArticle, answered),
            Share(supported, cited),
            provider,
            fallbacks);
    }

    /// <summary>Each sentence (or group of sentences) with the numbers of the markers that end it.</summary>
    internal static IEnumerable<(string Sentence, int[] Numbers)> CitedSentences(string text)
    {
        var start = 0;
        foreach (Match marker in CitationMarker().Matches(text))
        {
            var sentence = text[start..marker.Index].Trim();
            start = marker.Index + marker.Length;
            if (sentence.Length > 0)
            {
                yield return (sentence, [.. marker.Groups["n"].Captures.Select(c => int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture))]);
            }
        }
    }

    internal static bool IsSupported(string sentence, Article article)
    {
        var terms = KnowledgeIndex.Terms(sentence).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0)
        {
            return true;
        }

        var articleTerms = KnowledgeIndex.Terms($"{article.Title}\n{article.Body}").ToHashSet(StringComparer.Ordinal);
        return terms.Count(articleTerms.Contains) >= SupportThreshold * terms.Count;
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    [GeneratedRegex(@"(?:\s*\[(?<n>[0-9]+)\])+", RegexOptions.CultureInvariant)]
    private static partial Regex CitationMarker();
}
