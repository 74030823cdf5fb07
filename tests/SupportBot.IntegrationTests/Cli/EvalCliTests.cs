using System.Text.Json;

namespace SupportBot.IntegrationTests.Cli;

public sealed class EvalCliTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "supportbot-tests", Guid.NewGuid().ToString("N"));

    public EvalCliTests() => Directory.CreateDirectory(_work);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, content);
        return path;
    }

    private (string Corpus, string Queries, string Qrels, string Conversations, string Answers) WriteSet() => (
        Write("corpus.jsonl", """
            {"_id": "p1", "title": "Instant payouts", "text": "Instant payouts arrive within 30 minutes and cost 1% of the amount.", "domain": "payouts"}
            {"_id": "p2", "title": "Instant payout eligibility", "text": "Only debit cards issued in the US and Canada are eligible for instant payouts.", "domain": "payouts"}
            {"_id": "d1", "title": "Dispute fees", "text": "Every dispute costs a $15 fee, returned when the dispute is won.", "domain": "disputes"}
            {"_id": "r1", "title": "Refund timing", "text": "Refunds reach the customer within 5 to 10 business days.", "domain": "payments"}
            """),
        Write("queries.jsonl", """
            {"_id": "q1", "text": "How long do refunds take to reach the customer?"}
            {"_id": "q2", "text": "Which cards are eligible?"}
            {"_id": "q3", "text": "Who painted the Mona Lisa?"}
            """),
        Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\tr1\t1\nq2\tp2\t1\n"),
        Write("conversations.jsonl", """
            {"_id": "q1", "turns": [{"speaker": "user", "text": "How long do refunds take to reach the customer?"}]}
            {"_id": "q2", "turns": [{"speaker": "user", "text": "How fast are instant payouts?"}, {"speaker": "agent", "text": "Within 30 minutes."}, {"speaker": "user", "text": "Which cards are eligible?"}]}
            {"_id": "q3", "turns": [{"speaker": "user", "text": "Who painted the Mona Lisa?"}]}
            """),
        Write("answers.jsonl", """
            {"_id": "q1", "answerability": "ANSWERABLE", "domain": "payments"}
            {"_id": "q2", "answerability": "ANSWERABLE", "domain": "payouts"}
            {"_id": "q3", "answerability": "UNANSWERABLE", "domain": "art"}
            """));

    [Fact]
    public async Task Eval_json_has_exactly_the_contract_keys_and_scores_the_thread()
    {
        var (corpus, queries, qrels, conversations, answers) = WriteSet();

        var result = await CliRunner.RunAsync("eval", "--corpus", corpus, "--queries", queries, "--qrels", qrels,
            "--conversations", conversations, "--answers", answers, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(
            ["recall@5", "recall@10", "mrr@10", "ndcg@10", "queries", "p50_ms", "p99_ms", "declined_unanswerable", "answered_answerable"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("queries").GetInt32());
        Assert.Equal(1.0, root.GetProperty("mrr@10").GetDouble());
        Assert.Equal(1.0, root.GetProperty("recall@5").GetDouble());
        Assert.Equal(1.0, root.GetProperty("declined_unanswerable").GetDouble());
        Assert.Equal(1.0, root.GetProperty("answered_answerable").GetDouble());
        Assert.True(root.GetProperty("p99_ms").GetDouble() >= root.GetProperty("p50_ms").GetDouble());
    }

    [Fact]
    public async Task Eval_without_answer_labels_omits_their_keys_and_prints_a_table()
    {
        var (corpus, queries, qrels, _, _) = WriteSet();

        var json = await CliRunner.RunAsync("eval", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--json");
        var text = await CliRunner.RunAsync("eval", "--corpus", corpus, "--queries", queries, "--qrels", qrels);

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(7, doc.RootElement.EnumerateObject().Count());
        Assert.False(doc.RootElement.TryGetProperty("declined_unanswerable", out _));
        Assert.Contains("nDCG@10", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("latency p50", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_with_a_missing_file_is_bad_usage()
    {
        var result = await CliRunner.RunAsync("eval", "--corpus", Path.Combine(_work, "none.jsonl"), "--queries", "q", "--qrels", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such file", result.Stderr, StringComparison.Ordinal);
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
