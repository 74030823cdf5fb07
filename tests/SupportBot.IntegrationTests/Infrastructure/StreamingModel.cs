namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>A model answer that streams slowly enough (about 2.8 s) for a chat answer to grow in place several times.</summary>
public static class StreamingModel
{
    public const string Question = "How do I respond to a dispute?";

    public const string Content =
        "Respond to a dispute from Dashboard, Payments, Disputes before the Respond by date [1]. " +
        "Upload the receipt, the delivery proof and the customer's messages as evidence [1]. " +
        "Only one submission is allowed, so check everything first [1].";

    /// <summary>8 characters a piece: the stand-in sends about 28 pieces, one every 100 ms.</summary>
    public static readonly TimeSpan PieceDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Host settings that point the bot at <paramref name="model"/>, streaming <see cref="Content"/>.</summary>
    public static string[] Settings(OpenAiStandIn model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Default = OpenAiStandIn.Answer(Content, PieceDelay);
        return ["Llm:Provider=openai", $"Llm:Endpoint={model.OpenAiEndpoint}", "Llm:ApiKey=k", "Llm:Model=m"];
    }
}
