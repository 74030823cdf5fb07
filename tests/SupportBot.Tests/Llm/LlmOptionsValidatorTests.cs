using SupportBot.Llm;

namespace SupportBot.Tests.Llm;

public sealed class LlmOptionsValidatorTests
{
    private static IEnumerable<string> Failures(LlmOptions options) => new LlmOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_offline_default_needs_nothing() => Assert.Empty(Failures(new LlmOptions()));

    [Fact]
    public void A_model_provider_names_each_missing_setting()
    {
        var failures = Failures(new LlmOptions { Provider = "azure-openai" }).ToList();

        Assert.Contains(failures, f => f.StartsWith("Llm:Endpoint:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:Model:", StringComparison.Ordinal));
        Assert.Contains(Failures(new LlmOptions { Provider = "openai" }), f => f.StartsWith("Llm:ApiKey:", StringComparison.Ordinal));
    }

    [Fact]
    public void Azure_openai_without_a_key_signs_in_with_entra_id()
    {
        var options = new LlmOptions { Provider = "azure-openai", Endpoint = "https://paylane.openai.azure.com/", Model = "gpt-4o" };

        Assert.Empty(Failures(options));
        Assert.IsType<Azure.AI.OpenAI.AzureOpenAIClient>(SupportBot.Llm.LlmServiceCollectionExtensions.CreateProviderClient(options));
    }

    [Fact]
    public void Openai_may_use_its_default_endpoint() =>
        Assert.Empty(Failures(new LlmOptions { Provider = "openai", ApiKey = "k", Model = "gpt-4o-mini" }));

    [Fact]
    public void A_relative_endpoint_and_a_zero_timeout_are_refused()
    {
        var failures = Failures(new LlmOptions { Provider = "openai", ApiKey = "k", Model = "m", Endpoint = "localhost/v1", Timeout = TimeSpan.Zero }).ToList();

        Assert.Contains(failures, f => f.StartsWith("Llm:Endpoint:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:Timeout:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_embedding_model_without_a_model_provider_is_refused_by_its_key()
    {
        var failures = Failures(new LlmOptions { EmbeddingModel = "text-embedding-3-small" }).ToList();

        var failure = Assert.Single(failures);
        Assert.StartsWith("Llm:EmbeddingModel:", failure, StringComparison.Ordinal);
        Assert.Contains("'extractive'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedding_model_uses_the_providers_settings() =>
        Assert.Empty(Failures(new LlmOptions { Provider = "openai", ApiKey = "k", Model = "m", EmbeddingModel = "text-embedding-3-small" }));
}
