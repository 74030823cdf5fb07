using System.ComponentModel.DataAnnotations;

namespace SupportBot.Core.Answering;

/// <summary>Settings of the <c>Answering</c> section.</summary>
public sealed class AnsweringOptions
{
    public const string Section = "Answering";

    /// <summary>Passages retrieved per question.</summary>
    [Range(1, 50)]
    public int Passages { get; set; } = 6;

    /// <summary>
    /// The share of the question's (IDF-weighted) terms the best passage must contain for a
    /// confident answer; below it the bot says it does not know and offers escalation. The thread's
    /// terms count too, more lightly (Knowledge:Search:CoverageContextShare). 0.35 declines most
    /// unanswerable follow-ups while answering most answerable ones (docs/quality.md).
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.35;

    /// <summary>Earlier user turns used as retrieval context for follow-up questions.</summary>
    [Range(0, 20)]
    public int ContextTurns { get; set; } = 3;
}
