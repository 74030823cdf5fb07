using System.Text;
using SupportBot.Core.Answering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportBot.Knowledge;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.IntegrationTests.Knowledge;

public sealed class IngestionTests : IDisposable
{
    private readonly TempIndex _index = new();

    private string Docs => Path.Combine(_index.Folder, "docs");

    private sealed class Recorder : IIngestObserver
    {
        public List<(string Path, IngestOutcome Outcome, string? Reason)> Files { get; } = [];

        public List<(string Location, string Reason)> Problems { get; } = [];

        public void Started(int files)
        {
        }

        public void FileDone(string path, IngestOutcome outcome, string? reason) => Files.Add((path, outcome, reason));

        public void Problem(string location, string reason) => Problems.Add((location, reason));

        public string? ReasonFor(string name) => Files.SingleOrDefault(f => Path.GetFileName(f.Path) == name).Reason;
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task<(IngestSummary Summary, Recorder Recorder)> IngestAsync(params string[] paths)
    {
        var recorder = new Recorder();
        var summary = await _index.Index.IngestAsync(paths.Length == 0 ? [Docs] : paths, recorder, default);
        return (summary, recorder);
    }

    private async Task<IReadOnlyList<SearchHit>> SearchAsync(string question)
    {
        _index.Index.Refresh();
        return await _index.Search.SearchAsync(new SearchRequest(question, []), default);
    }

    [Fact]
    public async Task An_index_analysed_the_old_way_is_read_again_once_then_incrementally()
    {
        Write("refunds.md", "---\ntitle: Refunds\n---\nRefunds take 5 to 10 business days.");
        Write("de/erstattungen.md", "---\ntitle: Rückerstattungen\n---\nEine Rückerstattung dauert 5 bis 10 Werktage und ist bis zu 180 Tage nach der Zahlung möglich.");
        Assert.Equal(2, (await IngestAsync()).Summary.Added);

        // What an index written before passages were analysed per language records: no analysis version.
        using (var directory = Lucene.Net.Store.FSDirectory.Open(_index.Index.Path))
        using (var writer = new Lucene.Net.Index.IndexWriter(directory, new Lucene.Net.Index.IndexWriterConfig(SupportBot.Knowledge.Index.KnowledgeIndex.Version, SupportBot.Knowledge.Index.KnowledgeIndex.Analyzer)))
        {
            writer.SetCommitData(new Dictionary<string, string>());
            writer.Commit();
        }

        var upgrade = (await IngestAsync()).Summary;
        var again = (await IngestAsync()).Summary;

        Assert.Equal(new IngestSummary(0, 2, 0, 0, 0, 2), upgrade);
        Assert.Equal(new IngestSummary(0, 0, 0, 2, 0, 0), again);
        var hits = await SearchAsync("Wie lange dauern Rückerstattungen?");
        Assert.Equal("de/erstattungen", hits[0].ArticleId);
    }

    [Fact]
    public async Task A_host_opening_an_index_from_an_earlier_version_reads_its_files_again_and_nothing_else()
    {
        Write("refunds.md", "---\ntitle: Refunds\n---\nRefunds take 5 to 10 business days.");
        Write("de/erstattungen.md", "---\ntitle: Rückerstattungen\n---\nEine Rückerstattung dauert 5 bis 10 Werktage und ist bis zu 180 Tage nach der Zahlung möglich.");

        // An earlier version: every passage analysed as English, and no analysis version recorded.
        var earlier = new KnowledgeOptions { IndexPath = _index.Index.Path };
        earlier.Languages.Add("en");
        using (var old = new KnowledgeIndex(Options.Create(earlier), NullLogger<KnowledgeIndex>.Instance))
        {
            Assert.Equal(2, (await old.IngestAsync([Docs], new Recorder(), default)).Added);
        }

        using (var directory = Lucene.Net.Store.FSDirectory.Open(_index.Index.Path))
        using (var writer = new Lucene.Net.Index.IndexWriter(directory, new Lucene.Net.Index.IndexWriterConfig(KnowledgeIndex.Version, KnowledgeIndex.Analyzer)))
        {
            writer.SetCommitData(new Dictionary<string, string>());
            writer.Commit();
        }

        Assert.Equal("en", LanguageOf("de/erstattungen"));

        // Opening it (as a host or the CLI does) reads the two files again before serving; the configured sources,
        // the built-in samples here, are not added to an index built from something else.
        await _index.Index.EnsureOpenAsync(default);

        Assert.Equal("de", LanguageOf("de/erstattungen"));
        using (var directory = Lucene.Net.Store.FSDirectory.Open(_index.Index.Path))
        using (var reader = Lucene.Net.Index.DirectoryReader.Open(directory))
        {
            Assert.Equal(KnowledgeIndex.AnalysisVersion, reader.IndexCommit.UserData[IndexFields.AnalysisCommitKey]);
            var articles = Enumerable.Range(0, reader.MaxDoc).Select(d => reader.Document(d).Get(IndexFields.Article)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            Assert.Equal(["de/erstattungen", "refunds"], articles);
        }

        var hits = await SearchAsync("Wie lange dauern Rückerstattungen?");
        Assert.Equal("de/erstattungen", hits[0].ArticleId);
    }

    private string LanguageOf(string article)
    {
        using var directory = Lucene.Net.Store.FSDirectory.Open(_index.Index.Path);
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        var languages = Enumerable.Range(0, reader.MaxDoc)
            .Select(d => reader.Document(d))
            .Where(d => d.Get(IndexFields.Article) == article)
            .Select(d => d.Get(IndexFields.Language) ?? "en")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return Assert.Single(languages);
    }

    [Fact]
    public async Task Reingesting_is_incremental_by_content_hash()
    {
        Write("payouts/instant.md", "---\ntitle: Instant payouts\n---\nInstant payouts arrive within 30 minutes.");
        Write("refunds.md", "---\ntitle: Refunds\n---\nRefunds take 5 to 10 business days.");
        Write("wires.txt", "Wire recalls succeed only before the beneficiary withdraws the funds.");

        var first = (await IngestAsync()).Summary;
        Assert.Equal(new IngestSummary(3, 0, 0, 0, 0, 3), first);
        await _index.Index.EnsureOpenAsync(default);

        var again = (await IngestAsync()).Summary;
        Assert.Equal(new IngestSummary(0, 0, 0, 3, 0, 0), again);

        Write("refunds.md", "---\ntitle: Refunds\n---\nRefunds now take 3 to 5 business days.\n\n## Partial refunds\nAny amount up to the charge.");
        File.Delete(Path.Combine(Docs, "wires.txt"));
        var changed = (await IngestAsync()).Summary;

        Assert.Equal(new IngestSummary(0, 1, 1, 1, 0, 2), changed);
        var refunds = await SearchAsync("how long do refunds take");
        Assert.Contains(refunds, h => h.Text.Contains("3 to 5", StringComparison.Ordinal));
        Assert.DoesNotContain(refunds, h => h.Text.Contains("5 to 10", StringComparison.Ordinal));
        Assert.Empty(await SearchAsync("wire recall beneficiary"));
        Assert.Equal("payouts/instant", (await SearchAsync("instant payouts"))[0].ArticleId);
    }

    [Fact]
    public async Task Ingesting_one_file_does_not_remove_the_rest_of_its_folder()
    {
        Write("a.md", "Alpha payouts arrive daily.");
        Write("b.md", "Beta refunds arrive weekly.");
        await IngestAsync();

        Write("a.md", "Alpha payouts arrive hourly.");
        var single = (await IngestAsync(Path.Combine(Docs, "a.md"))).Summary;

        Assert.Equal(0, single.Removed);
        Assert.NotEmpty(await SearchAsync("beta refunds"));
    }

    [Fact]
    public async Task Every_bad_file_is_reported_with_its_reason_and_the_rest_is_ingested()
    {
        Write("good.md", "Good article about dispute evidence.");
        Write("empty.md", " \n\t\n");
        Write("front-matter-only.md", "---\ntitle: Nothing\n---\n");
        File.WriteAllBytes(Path.Combine(Docs, "binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]);
        File.WriteAllBytes(Path.Combine(Docs, "latin1.txt"), Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e"));
        Write("huge.md", new string('x', (int)KnowledgeFiles.MaxFileBytes + 1));
        Write("corpus.jsonl", "{\"_id\":\"c1\",\"title\":\"Fees\",\"text\":\"Dispute fees are $15.\"}\n{broken\n{\"title\":\"no id\",\"text\":\"x\"}\n");

        var (summary, recorder) = await IngestAsync(Docs, Path.Combine(_index.Folder, "missing"));

        Assert.Equal("empty", recorder.ReasonFor("empty.md"));
        Assert.Equal("no text after the front matter", recorder.ReasonFor("front-matter-only.md"));
        Assert.Equal("binary file (contains NUL bytes)", recorder.ReasonFor("binary.md"));
        Assert.Equal("not valid UTF-8", recorder.ReasonFor("latin1.txt"));
        Assert.Equal("larger than 2 MB", recorder.ReasonFor("huge.md"));
        Assert.Contains(recorder.Problems, p => p.Location.EndsWith("corpus.jsonl:2", StringComparison.Ordinal) && p.Reason.StartsWith("not a JSON object", StringComparison.Ordinal));
        Assert.Contains(recorder.Problems, p => p.Location.EndsWith("corpus.jsonl:3", StringComparison.Ordinal) && p.Reason == "no _id");
        Assert.Contains(recorder.Problems, p => p.Location.EndsWith("missing", StringComparison.Ordinal) && p.Reason == "no such file or folder");
        Assert.Equal(2, summary.Added);
        Assert.Equal(8, summary.Failed);
        Assert.Equal("c1", (await SearchAsync("dispute fees"))[0].ArticleId);
    }

    [Fact]
    public async Task Html_pages_are_ingested_by_section()
    {
        Write("refunds.html", "<html><head><title>Refund timing</title></head><body><p>Refunds take 5 to 10 days.</p><h2>Partial refunds</h2><p>Partial refunds may be any amount up to the charge.</p></body></html>");

        await IngestAsync();
        var hits = await SearchAsync("partial refund amount");

        Assert.Equal("Refund timing", hits[0].Title);
        Assert.Equal("Partial refunds", hits[0].Section);
        Assert.Equal("refunds.html", hits[0].Source);
    }

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Card_numbers_in_articles_are_masked_before_the_index_sees_them()
    {
        Write("refunds.md", "# Refund test cards\n\nFor a refund test, the merchant used card 4242 4242 4242 4242 exp 12/27 and the refund went through.\n");
        await IngestAsync();

        var hits = await SearchAsync("refund test card merchant");
        var hit = Assert.Single(hits, h => h.Title.Contains("Refund test cards", StringComparison.Ordinal));
        Assert.DoesNotContain("4242 4242", hit.Text, StringComparison.Ordinal);
        Assert.Contains("[card ••••4242]", hit.Text, StringComparison.Ordinal);
        Assert.Empty(await SearchAsync("4242424242424242"));
    }
}
