using SupportBot.Core.Configuration;
using SupportBot.Core.Queue;
using SupportBot.Llm;
using SupportBot.Redis;

namespace SupportBot.Tests.Configuration;

public sealed class SectionValidatorTests
{
    [Fact]
    public void Failure_names_the_configuration_key()
    {
        var result = new SectionValidator<QueueOptions>("Queue").Validate(null, new QueueOptions { Concurrency = 0 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Queue:Concurrency:", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_valid() =>
        Assert.True(new SectionValidator<QueueOptions>("Queue").Validate(null, new QueueOptions()).Succeeded);

    [Fact]
    public void Unknown_llm_provider_is_refused_by_name()
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions { Provider = "gpt-magic" });

        Assert.True(result.Failed);
        Assert.StartsWith("Llm:Provider:", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:6379", true)]
    [InlineData("", true)]
    [InlineData("localhost:6379,connectTimeout=abc", false)]
    public void Redis_configuration_is_parsed_at_start(string value, bool valid)
    {
        var result = new RedisOptionsValidator().Validate(null, new RedisOptions { Configuration = value });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Redis:Configuration:", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
