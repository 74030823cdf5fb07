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
    public void The_threshold_answers_the_most_while_declining_enough_unanswerable_questions_on_the_tuning_half()
    {
        // Ten unanswerable questions: declining 7 of them meets the floor (0.70), declining 6 does not.
        var outcomes = new List<QueryOutcome>();
        for (var i = 0; i < 10; i++)
        {
            outcomes.Add(Outcome($"u{i}", true, "UNANSWERABLE", 0.30 + (i * 0.05))); // 0.30 … 0.75
            outcomes.Add(Outcome($"a{i}", true, coverage: 0.55 + (i * 0.02))); // 0.55 … 0.73
        }

        var threshold = CrossValidation.ChooseThreshold(outcomes);
        var scores = RetrievalEvaluation.Score(outcomes, labelled: true, threshold);

        // Declining 7 needs a threshold above the seventh unanswerable coverage (0.60): 0.6125 declines exactly 7
        // and answers the answerable ones at 0.63 and above (6 of 10); any lower threshold declines too few.
        Assert.Equal(0.6125, threshold, 6);
        Assert.Equal(0.7, scores.DeclinedUnanswerable!.Value, 6);
        Assert.Equal(0.6, scores.AnsweredAnswerable!.Value, 6);
    }

    [Fact]
    public void Without_a_threshold_that_declines_enough_the_one_declining_most_is_chosen()
    {
        List<QueryOutcome> outcomes = [Outcome("u1", true, "UNANSWERABLE", 0.5), Outcome("u2", true, "UNANSWERABLE", 0.9), Outcome("a1", true, coverage: 0.9)];

        var threshold = CrossValidation.ChooseThreshold(outcomes);
        var scores = RetrievalEvaluation.Score(outcomes, labelled: true, threshold);

        // No threshold tried (at most 0.8) declines u2; the lowest that declines u1 keeps a1 answered.
        Assert.Equal(0.5125, threshold, 6);
        Assert.Equal(0.5, scores.DeclinedUnanswerable!.Value, 6);
        Assert.Equal(1.0, scores.AnsweredAnswerable!.Value, 6);
    }
}
