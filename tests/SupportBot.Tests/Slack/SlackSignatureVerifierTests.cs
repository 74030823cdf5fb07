using System.Text;
using Microsoft.Extensions.Time.Testing;
using SupportBot.Slack.Signing;

namespace SupportBot.Tests.Slack;

public sealed class SlackSignatureVerifierTests
{
    // Slack's documented example ("Verifying requests from Slack").
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static FakeTimeProvider ClockAt(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    [Fact]
    public void Slacks_documented_example_signs_to_the_documented_signature()
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618));
        Assert.Equal(Expected, verifier.Sign(Timestamp, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Slacks_documented_example_verifies_at_its_own_time()
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618 + 120));
        Assert.Equal(SignatureCheck.Valid, verifier.Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void A_changed_body_does_not_verify()
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618));
        Assert.Equal(SignatureCheck.Invalid, verifier.Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body + "x")));
    }

    [Fact]
    public void Another_secret_does_not_verify()
    {
        var verifier = new SlackSignatureVerifier(Secret + "0", ClockAt(1531420618));
        Assert.Equal(SignatureCheck.Invalid, verifier.Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_timestamp_more_than_five_minutes_away_is_stale(int offsetSeconds)
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618 + offsetSeconds));
        Assert.Equal(SignatureCheck.Stale, verifier.Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Exactly_five_minutes_is_still_accepted()
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618 + 300));
        Assert.Equal(SignatureCheck.Valid, verifier.Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData(null, Expected)]
    [InlineData(Timestamp, null)]
    [InlineData("", Expected)]
    [InlineData(Timestamp, "")]
    public void Missing_headers_are_reported_as_missing(string? timestamp, string? signature)
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618));
        Assert.Equal(SignatureCheck.Missing, verifier.Verify(timestamp, signature, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5")]
    [InlineData("v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void Malformed_signatures_are_invalid(string signature)
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618));
        Assert.Equal(SignatureCheck.Invalid, verifier.Verify(Timestamp, signature, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData("15314206l8")]
    [InlineData("-1531420618")]
    [InlineData("1531420618.5")]
    public void A_timestamp_that_is_not_unix_seconds_is_invalid(string timestamp)
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618));
        Assert.Equal(SignatureCheck.Invalid, verifier.Verify(timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Uppercase_hex_is_accepted_as_the_same_signature()
    {
        var verifier = new SlackSignatureVerifier(Secret, ClockAt(1531420618));
        Assert.Equal(SignatureCheck.Valid, verifier.Verify(Timestamp, "v0=" + Expected[3..].ToUpperInvariant(), Encoding.UTF8.GetBytes(Body)));
    }
}
