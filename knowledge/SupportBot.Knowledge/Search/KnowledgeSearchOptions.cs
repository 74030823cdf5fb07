using System.ComponentModel.DataAnnotations;
using SupportBot.Knowledge.Vectors;

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
    public double K1 { get; set; } = 1.2;

    /// <summary>BM25 length normalisation.</summary>
    [Range(0.0, 1.0)]
    public double B { get; set; } = 0.75;

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
    public double ContextDecay { get; set; } = 0.6;

    /// <summary>Weight of the terms of the bot's latest reply; older replies decay like user turns.</summary>
    [Range(0.0, 1.0)]
    public double ReplyWeight { get; set; } = 0.1;

    /// <summary>Weight of a match of two consecutive question terms near each other (within a few words); 0 = off.</summary>
    [Range(0.0, 5.0)]
    public double ProximityBoost { get; set; } = 0.3;

    /// <summary>
    /// How much the thread's terms count towards a passage's coverage (the answer-confidence measure),
    /// relative to their retrieval weight: a follow-up's answer must match the question itself above all.
    /// </summary>
    [Range(0.0, 1.0)]
    public double CoverageContextShare { get; set; } = 0.5;

    /// <summary>
    /// Score factor of a passage of an article an ops lead boosted. It reorders the passages a question
    /// retrieved, never adds one: a boosted article that does not match is not found.
    /// </summary>
    [Range(1.0, 10.0)]
    public double BoostedWeight { get; set; } = 1.5;

    /// <summary>
    /// With an embedding model (the local one, or <c>Llm:EmbeddingModel</c>): how long embedding a question may take before
    /// the search goes on with BM25 alone. It runs while BM25 ranks, so only the excess adds latency.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan EmbeddingTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// With an embedding model: the weight of the dense ranking in the fusion, BM25's being 1; 0 leaves BM25's
    /// order (dense candidates only fill a short list). Chosen by cross-validation (docs/quality.md).
    /// </summary>
    [Range(0.0, 10.0)]
    public double DenseWeight { get; set; } = 1.0;

    /// <summary>How BM25 and dense rankings are fused: <c>rrf</c> (weighted reciprocal rank fusion) or <c>score</c> (weighted min-max normalised scores).</summary>
    [RegularExpression("^(?i)(rrf|score)$", ErrorMessage = "must be 'rrf' or 'score'")]
    public string Fusion { get; set; } = FusionMethods.Score;

    /// <summary>
    /// With an embedding model: how much a passage's cosine to the dense query counts in its coverage (the answer
    /// confidence) beside the share of the query's words it holds; 0 = words only. Chosen by cross-validation.
    /// </summary>
    [Range(0.0, 1.0)]
    public double CoverageDenseShare { get; set; } = 0.75;

    /// <summary>
    /// With <see cref="CoverageDenseShare"/> above 0: the blended coverage a passage needs for an answer. The blend is
    /// reported rescaled so that this value meets <c>Answering:MinCoverage</c>, which keeps its meaning for words alone;
    /// 0 reports the blend as it is.
    /// </summary>
    [Range(0.0, 1.0)]
    public double HybridMinCoverage { get; set; } = 0.6;

    /// <summary>How the thread becomes the dense query: each turn embedded and weighted as BM25 weighs it (<c>Turns</c>), or the turns joined into one text (<c>Joined</c>).</summary>
    public DenseQueryMode DenseQuery { get; set; } = DenseQueryMode.Turns;
}

/// <summary>The values of <c>Knowledge:Search:Fusion</c>.</summary>
public static class FusionMethods
{
    public const string Rrf = "rrf";
    public const string Score = "score";
}
