using System.Diagnostics;
using System.Text.Json;
using SupportBot.IntegrationTests.Cli;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Llm;

/// <summary>The real OpenAI and Azure OpenAI SDK clients, over real HTTP, against a local stand-in of their REST API.</summary>
public sealed class ModelProviderTests : IAsyncLifetime
{
    private OpenAiStandIn _model = null!;

    public async Task InitializeAsync() => _model = await OpenAiStandIn.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private Task<CliRunner.Result> AskAsync(string question, string provider = "openai", params string[] settings) =>
        CliRunner.RunAsync([
            "ask", question, "--json",
            $"--Knowledge:IndexPath={BotHost.SharedIndexPath}",
            $"--Llm:Provider={provider}",
            $"--Llm:Endpoint={(provider == "openai" ? _model.OpenAiEndpoint : _model.BaseAddress.ToString())}",
            "--Llm:ApiKey=test-key-123",
            "--Llm:Model=support-model",
            .. settings,
        ]);

    private static JsonElement Json(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    [Fact]
    public async Task The_model_answers_from_numbered_passages_and_its_citations_are_checked()
    {
        _model.Default = OpenAiStandIn.Answer(
            "Submit evidence before the Respond by date [1]. Only one submission is allowed [1][9]. Tell @here at https://evil.example/x");

        var answer = Json(await AskAsync("How do I respond to a dispute?"));

        Assert.Equal("openai", answer.GetProperty("provider").GetString());
        Assert.False(answer.GetProperty("fallback").GetBoolean());
        Assert.True(answer.GetProperty("confident").GetBoolean());
        var text = answer.GetProperty("answer").GetString()!;
        Assert.StartsWith("Submit evidence before the Respond by date [1].", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[9]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", text, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", text, StringComparison.Ordinal);
        var citation = Assert.Single(answer.GetProperty("citations").EnumerateArray());
        Assert.Equal(1, citation.GetProperty("n").GetInt32());

        var request = Assert.Single(_model.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer test-key-123", request.Authorization);
        Assert.Equal("support-model", request.Body["model"]!.ToString());
        Assert.Contains("Answer ONLY from the numbered passages", request.Prompt, StringComparison.Ordinal);
        Assert.Contains("<passage n=\"1\" title=\"Responding to a dispute\"", request.Prompt, StringComparison.Ordinal);
        Assert.Contains("<question>\nHow do I respond to a dispute?\n</question>", request.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_is_asked_to_answer_in_the_askers_language()
    {
        _model.Default = OpenAiStandIn.Answer("Die Gutschrift erscheint nach 5–10 Werktagen [1].");

        var german = Json(await AskAsync("Wie lange dauert eine Rückerstattung, bis der Karteninhaber sie sieht?"));
        var english = Json(await AskAsync("How long do refunds take to reach the cardholder?"));

        Assert.Equal("de", german.GetProperty("language").GetString());
        Assert.Equal("en", english.GetProperty("language").GetString());
        Assert.True(german.GetProperty("confident").GetBoolean());
        var requests = _model.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains("Write the answer in German, the language of the question", requests[0].Prompt, StringComparison.Ordinal);
        Assert.Contains("<passage n=\"1\" title=\"Rückerstattungen", requests[0].Prompt, StringComparison.Ordinal);
        Assert.Contains("Write the answer in English, the language of the question", requests[1].Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("in German", requests[1].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_openai_calls_the_deployment_with_an_api_key()
    {
        _model.Default = OpenAiStandIn.Answer("Refunds reach the cardholder in 5–10 business days [1].");

        var answer = Json(await AskAsync("How long do refunds take?", provider: "azure-openai"));

        Assert.Equal("azure-openai", answer.GetProperty("provider").GetString());
        Assert.True(answer.GetProperty("confident").GetBoolean());
        var request = Assert.Single(_model.Requests);
        Assert.Equal("/openai/deployments/support-model/chat/completions", request.Path);
        Assert.Equal("test-key-123", request.ApiKey);
    }

    [Fact]
    public async Task When_the_model_says_the_passages_do_not_cover_it_the_bot_declines()
    {
        _model.Default = OpenAiStandIn.Answer("NOT_IN_KNOWLEDGE_BASE");

        var answer = Json(await AskAsync("How do I respond to a dispute filed in 1970?"));

        Assert.False(answer.GetProperty("confident").GetBoolean());
        Assert.StartsWith("I don't know", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_without_a_valid_citation_is_not_trusted()
    {
        _model.Default = OpenAiStandIn.Answer("Disputes always take exactly 3 days to resolve [42].");

        var answer = Json(await AskAsync("How do I respond to a dispute?"));

        Assert.False(answer.GetProperty("confident").GetBoolean());
        Assert.DoesNotContain("3 days", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_model_falls_back_to_the_extractive_answer()
    {
        _model.Default = OpenAiStandIn.Status(500);

        var answer = Json(await AskAsync("How do I respond to a dispute?"));

        Assert.True(answer.GetProperty("fallback").GetBoolean());
        Assert.Equal("extractive", answer.GetProperty("provider").GetString());
        Assert.True(answer.GetProperty("confident").GetBoolean());
        Assert.Contains("[1]", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_model_falls_back_within_the_timeout()
    {
        _model.Default = OpenAiStandIn.Hang;

        var clock = Stopwatch.StartNew();
        var answer = Json(await AskAsync("How do I respond to a dispute?", "openai", "--Llm:Timeout=00:00:02"));

        Assert.True(answer.GetProperty("fallback").GetBoolean());
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_rate_limited_call_is_retried_after_the_servers_delay()
    {
        _model.Script.Enqueue(OpenAiStandIn.Status(429, retryAfter: "1"));
        _model.Default = OpenAiStandIn.Answer("Refunds reach the cardholder in 5–10 business days [1].");

        var answer = Json(await AskAsync("How long do refunds take?"));

        Assert.False(answer.GetProperty("fallback").GetBoolean());
        Assert.Contains("5–10 business days", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, _model.Requests.Count);
    }

    [Fact]
    public async Task Card_numbers_never_reach_the_model()
    {
        _model.Default = OpenAiStandIn.Answer("do_not_honor is a generic decline from the issuer [1].");

        Json(await AskAsync("Card 4242 4242 4242 4242 was declined with do_not_honor, why?"));

        var request = Assert.Single(_model.Requests);
        Assert.DoesNotContain("4242 4242 4242 4242", request.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", request.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_json_with_an_embedding_model_searches_hybrid_and_still_declines_what_the_knowledge_base_lacks()
    {
        var index = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));
        _model.Default = OpenAiStandIn.Status(500); // The extractive fallback drafts: coverage decides whether to answer.
        string[] settings = [$"--Knowledge:IndexPath={index}", "--Llm:EmbeddingModel=text-embedding-3-small", "--Llm:Timeout=00:00:03",
            "--Knowledge:Search:EmbeddingTimeout=00:00:10", // A cold process on a busy machine: the first call may be slow.
            "--Knowledge:Search:CoverageDenseShare=0"]; // Confidence from words alone: the stand-in's trigram cosines mean nothing.
        try
        {
            var answered = Json(await AskAsync("How do I respond to a dispute?", "openai", settings));

            Assert.True(answered.GetProperty("fallback").GetBoolean());
            Assert.True(answered.GetProperty("confident").GetBoolean());
            Assert.NotEmpty(answered.GetProperty("citations").EnumerateArray());
            // The index was built from the samples with vectors (while the question was embedded).
            Assert.True(_model.EmbeddingRequests.Count > 2, $"{_model.EmbeddingRequests.Count} embedding requests");
            Assert.Contains(_model.EmbeddingRequests, r => r.Inputs is ["How do I respond to a dispute?"]);

            var built = _model.EmbeddedTexts;
            var declined = Json(await AskAsync("How does the quokka settlement ledger reconcile?", "openai", settings));

            Assert.False(declined.GetProperty("confident").GetBoolean());
            Assert.StartsWith("I don't know", declined.GetProperty("answer").GetString(), StringComparison.Ordinal);
            Assert.Equal(built + 1, _model.EmbeddedTexts); // The existing index is not embedded again.
        }
        finally
        {
            try
            {
                Directory.Delete(index, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
