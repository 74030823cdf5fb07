using SupportBot.Host.Endpoints;

namespace SupportBot.Tests.Insights;

/// <summary>CSV exports: RFC 4180 quoting, and text a spreadsheet would run kept as text.</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-3.5", "-3.5")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Fields_are_quoted_and_formulas_defused(string? value, string expected) => Assert.Equal(expected, Csv.Field(value));

    [Fact]
    public void Rows_end_in_crlf_after_a_header() =>
        Assert.Equal("a,b\r\n1,\"x,y\"\r\n", Csv.Write(["a", "b"], [["1", "x,y"]]));
}
