using BenchmarkDotNet.Attributes;
using SupportBot.Core.Redaction;

namespace SupportBot.Benchmarks;

/// <summary>
/// What masking costs per message, as the gateway runs it on every inbound message:
/// <c>dotnet run -c Release --project tests/SupportBot.Benchmarks -- --filter '*Masking*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MaskingBenchmarks
{
    private const string Clean = "Why is the payout for acct_1Nv0FGQ9RKHgCVdK delayed since Friday? The merchant says the schedule is daily.";
    private const string WithCard = "refund 25 4242 4242 4242 4242 exp 12/27 cvv 123 for case 12345, merchant jane.doe@example.com";
    private const string WithNumbers = "case 12345 order 998877 amount 1.250,00 on 2026-11-20 payout po_123 phone +1 415 555 0123";

    private static readonly string Long = string.Concat(Enumerable.Repeat("The merchant asked about payout 12345 on 2026-11-20 and a refund. ", 100))[..4_000];

    private static readonly string LongWithCards = string.Concat(Enumerable.Repeat("card 4111 1111 1111 1111 declined, refund 25; ", 90))[..4_000];

    [Benchmark(Baseline = true)]
    public string CleanMessage() => SensitiveDataRedactor.Redact(Clean);

    [Benchmark]
    public string MessageWithCardExpiryAndCvv() => SensitiveDataRedactor.Redact(WithCard);

    [Benchmark]
    public string MessageWithOrdinaryNumbers() => SensitiveDataRedactor.Redact(WithNumbers);

    [Benchmark]
    public string LongMessage4000Chars() => SensitiveDataRedactor.Redact(Long);

    [Benchmark]
    public string LongMessage4000CharsOfCards() => SensitiveDataRedactor.Redact(LongWithCards);
}
