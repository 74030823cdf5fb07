using System.ComponentModel.DataAnnotations;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// Ranking settings of the <c>Knowledge:Search</c> section. The defaults were tuned on the dev half of
/// a multi-turn retrieval set (docs/quality.md); they rarely need changing.
/// </summary>
public sealed class KnowledgeSearchOptions
{
    public const string Section = "Knowledge:Search";

    /// <summary>BM25 term-frequency saturation.</summary>
    [Range(0.0, 5.0)]
    public double K1 { get; set; } = 0.9;

    /// <summary>BM25 length normalisation.</summary>
    [Range(0.0, 1.0)]
    public double B { get; set; } = 0.4;

    /// <summary>Boost of a question term found in an article title.</summary>
    [Range(0.0, 10.0)]
    public double TitleBoost { get; set; } = 2.0;

    /// <summary>Boost of a question term found in a section heading.</summary>
    [Range(0.0, 10.0)]
    public double SectionBoost { get; set; } = 1.5;

    /// <summary>Weight of the terms of the user's previous turn (the question itself weighs 1).</summary>
    [Range(0.0, 1.0)]
    public double ContextWeight { get; set; } = 0.35;

    /// <summary>Each user turn further back weighs this much of the one after it.</summary>
    [Range(0.0, 1.0)]
    public double ContextDecay { get; set; } = 1.0;

    /// <summary>Weight of the terms of the bot's latest reply; older replies decay like user turns.</summary>
    [Range(0.0, 1.0)]
    public double ReplyWeight { get; set; }

    /// <summary>Pseudo-relevance feedback: how many top passages lend their terms to a second pass (0 = off).</summary>
    [Range(0, 20)]
    public int FeedbackPassages { get; set; }

    /// <summary>Pseudo-relevance feedback: how many expansion terms the second pass adds.</summary>
    [Range(0, 50)]
    public int FeedbackTerms { get; set; } = 10;

    /// <summary>Pseudo-relevance feedback: total weight of the expansion terms relative to the question.</summary>
    [Range(0.0, 2.0)]
    public double FeedbackWeight { get; set; } = 0.3;
}
