namespace SupportBot.Core.Answering;

/// <summary>A numbered source of an answer: <c>[n]</c> in the text points here.</summary>
public sealed record Citation(int N, string Title, string Url, string Source);

/// <summary>
/// A drafted answer. <see cref="Text"/> carries <c>[n]</c> markers that refer to <see cref="Citations"/>.
/// <see cref="Confident"/> is false when the knowledge base does not support an answer.
/// </summary>
public sealed record Answer(
    string Text,
    IReadOnlyList<Citation> Citations,
    bool Confident,
    string Provider,
    bool Fallback = false);
