using Lucene.Net.Analysis.Util;

namespace SupportBot.Knowledge.Index;

/// <summary>
/// Lucene's English stop words plus the function words agents' questions are full of ("how do I",
/// "what does", "can we"). Left in, they would dominate both ranking and the answer-confidence
/// measure, because the knowledge base itself rarely uses them.
/// </summary>
internal static class StopWords
{
    private static readonly string[] Words =
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

    public static CharArraySet Set { get; } = new(KnowledgeIndex.Version, Words, ignoreCase: true);
}
