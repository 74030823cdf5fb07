using SupportBot.Knowledge.Evaluation;

namespace SupportBot.Tests.Knowledge.Evaluation;

public sealed class CrossValidationTests
{
    private static QueryOutcome Outcome(string id, bool relevantFirst, string? label = "ANSWERABLE", double coverage = 0.5) =>
        new(id, "d", relevantFirst ? ["good", "bad"] : ["bad", "good"], new Dictionary<string, int> { ["good"] = 1 }, label, coverage >= 0.35, coverage);

    [Fact]
    public void Split_keeps_a_conversations_turns_together_and_balances_each_label()
    {
        var queries = new List<(string, string?)>();
        for (var c = 0; c < 40; c++)
        {
            var label = c % 4 == 0 ? "UNANSWERABLE" : "ANSWERABLE";
            queries.Add(($"conv{c}<::>2", label));
            queries.Add(($"conv{c}<::>5", label));
        }

        var halves = CrossValidation.Split(queries);

        Assert.Equal(80, halves.Count);
        for (var c = 0; c < 40; c++)
        {
            Assert.Equal(halves[$"conv{c}<::>2"], halves[$"conv{c}<::>5"]);
        }

        // 10 unanswerable conversations and 30 answerable ones, dealt alternately within each label.
        Assert.Equal(10, queries.Count(q => q.Item2 == "UNANSWERABLE" && halves[q.Item1] == CrossValidation.HalfA));
        Assert.Equal(30, queries.Count(q => q.Item2 == "ANSWERABLE" && halves[q.Item1] == CrossValidation.HalfA));
        Assert.Equal(halves, CrossValidation.Split(queries.AsEnumerable().Reverse()));
    }

    [Fact]
    public void Each_fold_chooses_on_its_own_half_and_reports_on_the_other()
    {
        // Setting "x" ranks well on half A only, "y" on half B only: each fold picks the one that suits its half,
        // and the unseen half shows the cost.
        var ids = Enumerable.Range(0, 8).Select(i => $"q{i}").ToList();
        var halves = ids.ToDictionary(id => id, id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) < 4 ? CrossValidation.HalfA : CrossValidation.HalfB);
        var x = new CandidateRun("x", [.. ids.Select(id => Outcome(id, halves[id] == CrossValidation.HalfA))]);
        var y = new CandidateRun("y", [.. ids.Select(id => Outcome(id, halves[id] == CrossValidation.HalfB))]);

        var folds = CrossValidation.Run([x, y], halves, labelled: false);

        Assert.Equal("x", folds[0].Chosen);
        Assert.Equal(CrossValidation.HalfA, folds[0].Tuned);
        Assert.Equal(1.0, folds[0].OnTuned.NdcgAt10, 6);
        Assert.True(folds[0].OnOther.NdcgAt10 < 1.0);
        Assert.Equal("y", folds[1].Chosen);
        Assert.Equal(1.0, folds[1].OnTuned.NdcgAt10, 6);
    }

    [Fact]
    public void The_threshold_is_the_one_that_best_separates_answerable_from_unanswerable_on_the_tuning_half()
    {
        List<QueryOutcome> outcomes =
        [
            Outcome("a1", true, coverage: 0.55),
            Outcome("a2", true, coverage: 0.6),
            Outcome("u1", true, "UNANSWERABLE", 0.3),
            Outcome("u2", true, "UNANSWERABLE", 0.42),
        ];

        var threshold = CrossValidation.ChooseThreshold(outcomes);

        // The lowest threshold above 0.42 and at most 0.55 answers both answerable and declines both unanswerable.
        Assert.Equal(0.425, threshold, 6);
        var scores = RetrievalEvaluation.Score(outcomes, labelled: true, threshold);
        Assert.Equal(1.0, scores.AnsweredAnswerable);
        Assert.Equal(1.0, scores.DeclinedUnanswerable);
    }
}
