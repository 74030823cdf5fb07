using Microsoft.Extensions.Options;

namespace SupportBot.Llm;

/// <summary>Refuses an unknown provider or a model provider without what it needs, naming each key.</summary>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        if (!LlmOptions.KnownProviders.Contains(options.Provider, StringComparer.Ordinal))
        {
            return ValidateOptionsResult.Fail($"Llm:Provider: '{options.Provider}' is not supported; use one of: {string.Join(", ", LlmOptions.KnownProviders)}.");
        }

        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Llm:Timeout: must be between 00:00:00.001 and 00:05:00.");
        }

        if (options.MaxPromptTokens is < 500 or > 1_000_000)
        {
            failures.Add("Llm:MaxPromptTokens: must be between 500 and 1000000.");
        }

        if (!options.UsesModel && !string.IsNullOrWhiteSpace(options.EmbeddingModel))
        {
            failures.Add($"Llm:EmbeddingModel: needs Llm:Provider azure-openai or openai (embeddings use its Endpoint and ApiKey); the provider is '{options.Provider}'.");
        }

        if (options.UsesModel)
        {
            var endpointRequired = options.Provider == LlmOptions.AzureOpenAI;
            if (string.IsNullOrWhiteSpace(options.Endpoint) ? endpointRequired : !Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _))
            {
                failures.Add($"Llm:Endpoint: an absolute URL is required for provider '{options.Provider}'.");
            }

            // Azure OpenAI without a key signs in with Microsoft Entra ID (managed identity, workload identity, az login).
            if (string.IsNullOrWhiteSpace(options.ApiKey) && options.Provider != LlmOptions.AzureOpenAI)
            {
                failures.Add($"Llm:ApiKey: required for provider '{options.Provider}'.");
            }

            if (string.IsNullOrWhiteSpace(options.Model))
            {
                failures.Add($"Llm:Model: required for provider '{options.Provider}' (the deployment name on Azure).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
