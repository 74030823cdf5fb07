using System.Text;
using System.Text.Json;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-it", "cli-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_work);

    [Fact]
    public async Task Ask_json_answers_with_citations_and_no_configuration()
    {
        var result = await CliRunner.RunAsync("ask", "How do I respond to a dispute?", "--json", $"--Knowledge:IndexPath={BotHost.SharedIndexPath}");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("confident").GetBoolean());
        Assert.Equal("extractive", root.GetProperty("provider").GetString());
        Assert.False(root.GetProperty("fallback").GetBoolean());
        Assert.Contains("[1]", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
        var citation = root.GetProperty("citations")[0];
        Assert.Equal(1, citation.GetProperty("n").GetInt32());
        foreach (var field in new[] { "title", "url", "source" })
        {
            Assert.False(string.IsNullOrEmpty(citation.GetProperty(field).GetString()));
        }
    }

    [Fact]
    public async Task Ask_in_german_offline_quotes_the_german_article()
    {
        var result = await CliRunner.RunAsync("ask", "Wie lange dauert eine Rückerstattung, bis der Karteninhaber sie sieht?", "--json", $"--Knowledge:IndexPath={BotHost.SharedIndexPath}");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("de", root.GetProperty("language").GetString());
        Assert.True(root.GetProperty("confident").GetBoolean());
        Assert.StartsWith("Rückerstattungen", root.GetProperty("citations")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("5–10 Werktagen", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_says_plainly_when_it_does_not_know()
    {
        var result = await CliRunner.RunAsync("ask", "What is the boiling point of tungsten?", $"--Knowledge:IndexPath={BotHost.SharedIndexPath}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Not confident", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Queue:Concurrency=0", "Queue:Concurrency")]
    [InlineData("--Llm:Provider=skynet", "Llm:Provider")]
    [InlineData("--Llm:EmbeddingModel=text-embedding-3-small", "Llm:EmbeddingModel")]
    [InlineData("--Knowledge:Search:EmbeddingTimeout=00:00:00", "Knowledge:Search:EmbeddingTimeout")]
    [InlineData("--Redis:Configuration=localhost:6379,connectTimeout=soon", "Redis:Configuration")]
    [InlineData("--Conversation:HistoryLimit=lots", "Conversation:HistoryLimit")]
    [InlineData("--Knowledge:DefaultLanguage=klingon", "Knowledge:DefaultLanguage")]
    [InlineData("--Knowledge:Languages:0=it", "Knowledge:Languages")]
    public async Task Invalid_configuration_exits_2_naming_the_key(string setting, string key)
    {
        var result = await CliRunner.RunAsync("ask", "hello", setting);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("ask")]
    [InlineData("ingest")]
    public async Task Bad_usage_exits_2(string command)
    {
        var result = await CliRunner.RunAsync(command);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Stderr);
    }

    [Fact]
    public async Task Ingest_reports_bad_files_and_keeps_the_good_ones()
    {
        var docs = Path.Combine(_work, "docs");
        Directory.CreateDirectory(Path.Combine(docs, "nested"));
        await File.WriteAllTextAsync(Path.Combine(docs, "nested", "wire-transfers.md"), """
            ---
            title: Wire transfer recalls
            product: payouts
            url: https://kb.example/payouts/wire-transfer-recalls
            ---
            A wire transfer recall asks the receiving bank to send the funds back; recalls succeed only before the beneficiary withdraws them.
            """);
        await File.WriteAllTextAsync(Path.Combine(docs, "empty.md"), "   \n");
        await File.WriteAllBytesAsync(Path.Combine(docs, "binary.md"), [0x50, 0x00, 0x01, 0x02]);
        await File.WriteAllBytesAsync(Path.Combine(docs, "latin1.md"), Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me"));
        await File.WriteAllTextAsync(Path.Combine(docs, "ignored.png"), "not a knowledge file");
        var index = Path.Combine(_work, "index");

        var ingest = await CliRunner.RunAsync("ingest", docs, "--index", index);

        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains("empty.md: empty", ingest.Stdout, StringComparison.Ordinal);
        Assert.Contains("binary.md: binary file", ingest.Stdout, StringComparison.Ordinal);
        Assert.Contains("latin1.md: not valid UTF-8", ingest.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 added, 0 updated, 0 removed, 0 unchanged, 3 failed", ingest.Stdout, StringComparison.Ordinal);

        var ask = await CliRunner.RunAsync("ask", "How do wire transfer recalls work?", "--json", $"--Knowledge:IndexPath={index}");
        using var json = JsonDocument.Parse(ask.Stdout);
        Assert.Equal("https://kb.example/payouts/wire-transfer-recalls", json.RootElement.GetProperty("citations")[0].GetProperty("url").GetString());
        Assert.Equal("nested/wire-transfers.md", json.RootElement.GetProperty("citations")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task Ingest_of_a_missing_path_fails_with_the_reason()
    {
        var result = await CliRunner.RunAsync("ingest", Path.Combine(_work, "nope"), "--index", Path.Combine(_work, "index2"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no such file or folder", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
