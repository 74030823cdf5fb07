using SupportBot.Core.Answering;

namespace SupportBot.Core.Insights;

/// <summary>An unanswered question as a cluster shows it: masked text, when and where it was asked.</summary>
public sealed record GapExample(string Question, DateTimeOffset At, string Surface, string? Channel);

/// <summary>
/// Similar unanswered questions: a documentation gap. <see cref="Label"/> is its most common terms;
/// <see cref="Representative"/> the question closest to the cluster as a whole.
/// </summary>
public sealed record GapCluster(string Label, string Representative, int Count, IReadOnlyList<string> Terms, IReadOnlyList<GapExample> Examples, DateTimeOffset Latest);

/// <summary>
/// Groups unanswered questions by the words they share. Each question becomes a set of terms (lower case, stop words,
/// numbers and one-letter words left out, a plural "s" dropped); questions are taken newest first and each joins the
/// cluster whose term profile it is most similar to (cosine of the question's terms against the cluster's term
/// counts), when that similarity reaches <see cref="Threshold"/>, else it starts a new cluster. Greedy and
/// deterministic: the same questions give the same clusters.
/// </summary>
public static class GapClusters
{
    /// <summary>How similar a question must be to a cluster to join it.</summary>
    public const double Threshold = 0.5;

    public const int MaxExamples = 3;

    private const int LabelTerms = 3;

    public static IReadOnlyList<GapCluster> Group(IEnumerable<QuestionRecord> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var clusters = new List<Building>();
        foreach (var question in questions.OrderByDescending(q => q.At))
        {
            var terms = Terms(question.Question);
            if (terms.Count == 0)
            {
                // Nothing to compare: grouped only with the same text.
                terms = [question.Question.Trim().ToLowerInvariant()];
            }

            Building? best = null;
            var bestScore = 0.0;
            foreach (var cluster in clusters)
            {
                var score = cluster.Cosine(terms);
                if (score > bestScore)
                {
                    (best, bestScore) = (cluster, score);
                }
            }

            if (best is null || bestScore < Threshold)
            {
                best = new Building();
                clusters.Add(best);
            }

            best.Add(question, terms);
        }

        return [.. clusters.Select(c => c.Build()).OrderByDescending(c => c.Count).ThenByDescending(c => c.Latest)];
    }

    /// <summary>The terms of a question that say what it is about.</summary>
    public static HashSet<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] == '\'' && start >= 0));
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                AddTerm(terms, text[start..i]);
                start = -1;
            }
        }

        return terms;
    }

    private static void AddTerm(HashSet<string> terms, string word)
    {
        var term = word.Trim('\'').ToLowerInvariant();
        if (StopWords.Contains(term))
        {
            return;
        }

        if (term.EndsWith("'s", StringComparison.Ordinal))
        {
            term = term[..^2];
        }
        else if (term.Length > 3 && term.EndsWith('s') && !term.EndsWith("ss", StringComparison.Ordinal))
        {
            term = term[..^1];
        }

        if (term.Length >= 2 && !term.All(char.IsDigit) && !StopWords.Contains(term))
        {
            terms.Add(term);
        }
    }

    private sealed class Building
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
        private readonly List<(QuestionRecord Question, HashSet<string> Terms)> _members = [];
        private double _norm;

        /// <summary>Cosine between the question's terms (each weighing 1) and the cluster's term counts.</summary>
        public double Cosine(HashSet<string> terms)
        {
            var dot = terms.Sum(t => _counts.GetValueOrDefault(t));
            return dot == 0 ? 0 : dot / (Math.Sqrt(terms.Count) * _norm);
        }

        public void Add(QuestionRecord question, HashSet<string> terms)
        {
            _members.Add((question, terms));
            foreach (var term in terms)
            {
                _counts[term] = _counts.GetValueOrDefault(term) + 1;
            }

            _norm = Math.Sqrt(_counts.Values.Sum(c => (double)c * c));
        }

        public GapCluster Build()
        {
            var terms = _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(LabelTerms).Select(c => c.Key).ToList();
            // Members are newest first; the first of the most similar is the representative.
            var representative = _members.MaxBy(m => Cosine(m.Terms)).Question;
            return new GapCluster(
                string.Join(", ", terms),
                representative.Question,
                _members.Count,
                terms,
                [.. _members.Take(MaxExamples).Select(m => new GapExample(m.Question.Question, m.Question.At, m.Question.Surface, m.Question.Channel))],
                _members[0].Question.At);
        }
    }
}
