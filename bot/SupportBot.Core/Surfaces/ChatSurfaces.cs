using SupportBot.Core.Conversations;

namespace SupportBot.Core.Surfaces;

/// <summary>Finds the surface a conversation lives on.</summary>
public sealed class ChatSurfaces(IEnumerable<IChatSurface> surfaces)
{
    private readonly Dictionary<string, IChatSurface> _byName = surfaces.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IChatSurface For(ConversationRef conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return _byName.TryGetValue(conversation.Surface, out var surface)
            ? surface
            : throw new InvalidOperationException($"No chat surface named '{conversation.Surface}' is registered.");
    }
}
