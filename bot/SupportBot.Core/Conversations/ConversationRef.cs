namespace SupportBot.Core.Conversations;

/// <summary>
/// Where a message lives, independent of the platform: the surface (<c>web</c>, <c>slack</c>,
/// <c>teams</c>, <c>cli</c>), the channel or chat, and the thread inside it.
/// </summary>
public sealed record ConversationRef(string Surface, string Channel, string Thread)
{
    /// <summary>A stable, unique key for state stores. Braces are reserved for Redis hash tags.</summary>
    public string Key => $"{Surface}:{Channel}:{Thread}".Replace('{', '(').Replace('}', ')');

    public override string ToString() => Key;
}
