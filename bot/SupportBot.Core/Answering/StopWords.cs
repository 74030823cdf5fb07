using System.Collections.Frozen;

namespace SupportBot.Core.Answering;

/// <summary>
/// Lucene's English stop words plus the function words agents' questions are full of ("how do I", "what does",
/// "can we"). The knowledge index leaves them out of ranking; the analytics leave them out when grouping similar
/// questions. Both would otherwise be dominated by them.
/// </summary>
public static class StopWords
{
    public static IReadOnlyList<string> Words { get; } =
    [
        // Lucene's EnglishAnalyzer defaults.
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",

        // Question and conversation words.
        "about", "after", "again", "all", "also", "am", "any", "anything", "been", "before", "being", "both", "can",
        "could", "did", "do", "does", "doing", "done", "each", "else", "even", "ever", "every", "from", "get", "gets",
        "getting", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "i'm",
        "im", "its", "just", "know", "let", "like", "may", "me", "might", "more", "most", "much", "must", "my", "need",
        "needs", "now", "off", "ok", "okay", "one", "only", "other", "our", "ours", "out", "over", "please", "really",
        "should", "so", "some", "someone", "something", "still", "than", "thank", "thanks", "them", "there's", "those",
        "through", "too", "under", "up", "us", "very", "want", "wants", "we", "well", "were", "what", "what's", "when",
        "where", "which", "while", "who", "whom", "whose", "why", "would", "yes", "you", "your", "yours", "hi", "hello",
        "hey", "tell", "explain", "mean", "means", "said", "say", "says", "work", "works", "working", "happen", "happens",
    ];

    private static readonly FrozenSet<string> Set = Words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool Contains(string word) => Set.Contains(word);
}
