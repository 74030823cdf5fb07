using Lucene.Net.Analysis.Util;

namespace SupportBot.Knowledge.Index;

/// <summary>The shared stop words (<see cref="SupportBot.Core.Answering.StopWords"/>) as Lucene's analyzer takes them.</summary>
internal static class StopWords
{
    public static CharArraySet Set { get; } = new(KnowledgeIndex.Version, SupportBot.Core.Answering.StopWords.Words.ToList(), ignoreCase: true);
}
