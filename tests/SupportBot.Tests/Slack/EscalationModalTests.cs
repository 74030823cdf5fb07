using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportBot.Core.Escalations;
using SupportBot.Slack.Modals;

namespace SupportBot.Tests.Slack;

/// <summary>The escalation modal as Block Kit: Slack's limits kept, values read back, refusals keyed by block.</summary>
public sealed class EscalationModalTests
{
    private static EscalationForms Forms(EscalationRoutes routes) => new(routes, new ThreadPosters([]));

    private static EscalationRoutes Sample => EscalationRoutes.Load(EscalationOptions.BuiltInRoutes);

    private static JsonObject Block(JsonObject view, string blockId) =>
        view["blocks"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["block_id"]?.GetValue<string>() == blockId);

    [Fact]
    public void The_modal_has_the_four_inputs_prefilled_and_carries_its_origin()
    {
        var prompt = Forms(Sample).Prefill("merchant has a chargeback on case 12346", []);

        var view = EscalationModal.Build(prompt, new ModalOrigin("C0AGENTS", null));

        Assert.Equal("modal", view["type"]!.GetValue<string>());
        Assert.Equal("escalate", view["callback_id"]!.GetValue<string>());
        Assert.Equal("{\"channel\":\"C0AGENTS\"}", view["private_metadata"]!.GetValue<string>());
        var team = Block(view, "escalate.team")["element"]!;
        Assert.Equal("static_select", team["type"]!.GetValue<string>());
        Assert.Equal(9, team["options"]!.AsArray().Count);
        Assert.Equal("Disputes (disputes)", team["initial_option"]!["text"]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(team["initial_option"], team["options"]!.AsArray().Single(o => o!["value"]!.GetValue<string>() == "disputes")));
        Assert.NotNull(Block(view, "escalate.team")["hint"]);
        Assert.Equal("sev3", Block(view, "escalate.severity")["element"]!["initial_option"]!["value"]!.GetValue<string>());
        Assert.Equal(4, Block(view, "escalate.severity")["element"]!["options"]!.AsArray().Count);
        Assert.True(Block(view, "escalate.case")["optional"]!.GetValue<bool>());
        Assert.Equal("12346", Block(view, "escalate.case")["element"]!["initial_value"]!.GetValue<string>());
        var summary = Block(view, "escalate.summary")["element"]!;
        Assert.True(summary["multiline"]!.GetValue<bool>());
        Assert.Equal("merchant has a chargeback on case 12346", summary["initial_value"]!.GetValue<string>());
    }

    [Fact]
    public void Slacks_limits_hold_even_for_many_long_named_teams()
    {
        var yaml = new StringBuilder("default: team120\nroutes:\n");
        for (var i = 1; i <= 120; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - team: team{i}\n    name: {new string('N', 90)}\n    slack: {{ channel: C{i} }}\n");
        }

        var view = EscalationModal.Build(Forms(EscalationRoutes.Parse(yaml.ToString())).Prefill("to team120 outage", []), new ModalOrigin("C1", "1700000000.000100"));

        var team = Block(view, "escalate.team")["element"]!;
        var options = team["options"]!.AsArray();
        Assert.Equal(EscalationModal.MaxOptions, options.Count);
        Assert.All(options, o => Assert.InRange(o!["text"]!["text"]!.GetValue<string>().Length, 1, EscalationModal.MaxOptionText));
        Assert.Equal("team120", team["initial_option"]!["value"]!.GetValue<string>());
        Assert.Contains(options, o => o!["value"]!.GetValue<string>() == "team120");
        Assert.Null(Block(view, "escalate.team")["hint"]);
        foreach (var text in new[] { view["title"], view["submit"], view["close"] })
        {
            Assert.InRange(text!["text"]!.GetValue<string>().Length, 1, 24);
        }

        Assert.InRange(view["private_metadata"]!.GetValue<string>().Length, 1, 3000);
        Assert.All(view["blocks"]!.AsArray(), b => Assert.True((b!["block_id"]?.GetValue<string>().Length ?? 0) <= 255));
        Assert.Equal(new ModalOrigin("C1", "1700000000.000100"), ModalOrigin.FromMetadata(view["private_metadata"]!.GetValue<string>()));
    }

    [Fact]
    public void Submitted_values_are_read_by_block_and_action()
    {
        using var view = JsonDocument.Parse("""
            {"id":"V1","type":"modal","callback_id":"escalate","state":{"values":{
              "escalate.team":{"team":{"type":"static_select","selected_option":{"text":{"type":"plain_text","text":"Risk"},"value":"risk"}}},
              "escalate.severity":{"severity":{"type":"static_select","selected_option":null}},
              "escalate.case":{"case_id":{"type":"plain_text_input","value":null}},
              "escalate.summary":{"summary":{"type":"plain_text_input","value":"card testing"}}}}}
            """);

        Assert.Equal(new EscalationFormValues("risk", null, null, "card testing"), EscalationModal.Read(view.RootElement));
        Assert.Equal(new EscalationFormValues(null, null, null, null), EscalationModal.Read(default));
    }

    [Fact]
    public void Refusals_are_response_action_errors_keyed_by_block()
    {
        var errors = Forms(Sample).Validate(new EscalationFormValues("nope", "sev2", "x1", ""), out _);

        var response = EscalationModal.Errors(errors);

        Assert.Equal("errors", response["response_action"]!.GetValue<string>());
        Assert.Equal(["escalate.team", "escalate.case", "escalate.summary"], response["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("Say what the team should look at.", response["errors"]!["escalate.summary"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"thread_ts\":\"1.2\"}")]
    public void Metadata_without_a_channel_has_no_origin(string? metadata) => Assert.Null(ModalOrigin.FromMetadata(metadata));
}
