using Microsoft.Extensions.Time.Testing;
using SupportBot.Core.Surfaces;

namespace SupportBot.Tests.Conversations;

public sealed class PartialUpdatesTests
{
    [Fact]
    public async Task A_growing_answer_is_published_at_most_once_a_second()
    {
        var time = new FakeTimeProvider();
        var published = new List<string>();
        var updates = new PartialUpdates(time, TimeSpan.FromSeconds(1), (text, _) =>
        {
            published.Add(text);
            return Task.CompletedTask;
        });

        await updates.OnPartialAsync("Pay", default);
        await updates.OnPartialAsync("Payouts", default);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await updates.OnPartialAsync("Payouts arrive", default);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await updates.OnPartialAsync("Payouts arrive in", default);
        await updates.OnPartialAsync("   ", default);

        Assert.Equal(["Pay", "Payouts arrive in"], published);
        Assert.Equal(2, updates.Published);
    }
}
