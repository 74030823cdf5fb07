using SupportBot.Core.Conversations;

namespace SupportBot.Tests.Conversations;

public sealed class ConversationRefTests
{
    [Fact]
    public void Key_never_contains_braces_so_redis_hash_tags_stay_intact()
    {
        var key = new ConversationRef("teams", "19:{abc}@thread.tacv2", "x}y{").Key;

        Assert.DoesNotContain('{', key);
        Assert.DoesNotContain('}', key);
        Assert.StartsWith("teams:19:", key, StringComparison.Ordinal);
    }
}
