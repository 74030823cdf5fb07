using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using SupportBot.IntegrationTests.Infrastructure;

namespace SupportBot.IntegrationTests.Cli;

/// <summary><c>supportbot manifest teams</c>: the app package to upload, checked against the official manifest schema.</summary>
public sealed class TeamsManifestCommandTests : IDisposable
{
    private const string AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";
    private readonly string _out = Path.Combine(Path.GetTempPath(), "supportbot-it", "teams-package-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_package_is_a_flat_zip_with_a_valid_manifest_and_the_required_icons()
    {
        var result = await CliRunner.RunAsync("manifest", "teams", "--base-url", "https://bot.paylane.example", "--out", _out, $"--Teams:AppId={AppId}");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var zip = ZipFile.OpenRead(Path.Combine(_out, "supportbot-teams.zip"));
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        var manifestPath = Path.Combine(_out, "manifest.json");
        zip.GetEntry("manifest.json")!.ExtractToFile(manifestPath);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        Assert.Equal(AppId, manifest["id"]!.GetValue<string>());
        Assert.Equal(AppId, manifest["bots"]![0]!["botId"]!.GetValue<string>());
        Assert.Equal("bot.paylane.example", manifest["validDomains"]![0]!.GetValue<string>());
        Assert.Contains(manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray(),
            p => p!["name"]!.GetValue<string>() == "ChannelMessage.Read.Group" && p["type"]!.GetValue<string>() == "Application");
        var (schemaExit, schemaOutput) = await ValidateManifestAsync(manifestPath);
        Assert.True(schemaExit == 0, schemaOutput);

        var color = ReadPng(zip.GetEntry("color.png")!);
        Assert.Equal((192, 192), (color.Width, color.Height));
        var outline = ReadPng(zip.GetEntry("outline.png")!);
        Assert.Equal((32, 32), (outline.Width, outline.Height));
        // Outline: white wherever anything is drawn, transparent elsewhere.
        var pixels = Enumerable.Range(0, 32 * 32).Select(i => outline.Rgba.AsSpan(i * 4, 4).ToArray()).ToList();
        Assert.All(pixels.Where(p => p[3] > 0), p => Assert.Equal([255, 255, 255], p[..3]));
        Assert.Contains(pixels, p => p[3] == 0);
        Assert.Contains(pixels, p => p[3] == 255);
    }

    [Fact]
    public async Task The_manifest_has_prompt_starters_per_scope_and_the_search_and_ask_commands_and_stays_valid()
    {
        var result = await CliRunner.RunAsync("manifest", "teams", "--base-url", "https://bot.paylane.example", "--out", _out, $"--Teams:AppId={AppId}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var zip = ZipFile.OpenRead(Path.Combine(_out, "supportbot-teams.zip"));
        var manifestPath = Path.Combine(_out, "manifest.json");
        zip.GetEntry("manifest.json")!.ExtractToFile(manifestPath);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;

        // Prompt starters: every bot scope has a list; titles are what Teams puts in the compose box, so they are questions or commands the bot answers.
        var lists = manifest["bots"]![0]!["commandLists"]!.AsArray();
        Assert.Equal(["groupChat", "personal", "team"], lists.SelectMany(l => l!["scopes"]!.AsArray().Select(s => s!.GetValue<string>())).Order(StringComparer.Ordinal));
        Assert.All(lists, l => Assert.InRange(l!["commands"]!.AsArray().Count, 2, 10));
        var personal = lists.Single(l => l!["scopes"]!.AsArray().Any(s => s!.GetValue<string>() == "personal"))!["commands"]!.AsArray();
        Assert.Contains(personal, c => c!["title"]!.GetValue<string>() == "How do I respond to a dispute?");
        Assert.All(lists.SelectMany(l => l!["commands"]!.AsArray()), c =>
        {
            Assert.InRange(c!["title"]!.GetValue<string>().Length, 1, 32);
            Assert.InRange(c["description"]!.GetValue<string>().Length, 1, 128);
        });

        var commands = manifest["composeExtensions"]![0]!["commands"]!.AsArray();
        var search = commands.Single(c => c!["id"]!.GetValue<string>() == "searchKnowledge")!;
        Assert.Equal("query", search["type"]!.GetValue<string>());
        Assert.Equal("query", search["parameters"]![0]!["name"]!.GetValue<string>());
        var ask = commands.Single(c => c!["id"]!.GetValue<string>() == "askSupportBot")!;
        Assert.Equal("action", ask["type"]!.GetValue<string>());
        Assert.Equal(["message"], ask["context"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(ask["fetchTask"]!.GetValue<bool>());
        Assert.Equal(AppId, manifest["composeExtensions"]![0]!["botId"]!.GetValue<string>());

        var (schemaExit, schemaOutput) = await ValidateManifestAsync(manifestPath);
        Assert.True(schemaExit == 0, schemaOutput);
    }

    [Fact]
    public async Task The_package_carries_the_icons_committed_in_the_repository()
    {
        var result = await CliRunner.RunAsync("manifest", "teams", "--base-url", "https://bot.paylane.example", "--out", _out, $"--Teams:AppId={AppId}");
        Assert.Equal(0, result.ExitCode);
        using var zip = ZipFile.OpenRead(Path.Combine(_out, "supportbot-teams.zip"));
        var folder = Path.Combine(Repository.Root, "manifests", "teams");

        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            using var stream = zip.GetEntry(icon)!.Open();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, icon)), copy.ToArray());
        }
    }

    [Fact]
    public async Task Without_an_app_id_the_command_names_the_setting_and_exits_2()
    {
        var result = await CliRunner.RunAsync("manifest", "teams", "--base-url", "https://bot.paylane.example", "--out", _out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Teams:AppId", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public async Task A_base_url_that_is_not_https_is_bad_usage()
    {
        var result = await CliRunner.RunAsync("manifest", "teams", "--base-url", "http://bot.paylane.example", $"--Teams:AppId={AppId}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("https", result.Stderr, StringComparison.Ordinal);
    }

    private static (int Width, int Height, byte[] Rgba) ReadPng(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var png = buffer.ToArray();
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var i = 8; i < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            var type = System.Text.Encoding.ASCII.GetString(png, i + 4, 4);
            var data = png.AsSpan(i + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal((8, 6), (data[8], data[9])); // 8-bit RGBA
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            i += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var rows = raw.ToArray();
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * ((width * 4) + 1)]); // filter byte
            Array.Copy(rows, (y * ((width * 4) + 1)) + 1, rgba, y * width * 4, width * 4);
        }

        return (width, height, rgba);
    }

    private static async Task<(int ExitCode, string Output)> ValidateManifestAsync(string manifestPath)
    {
        var folder = Path.Combine(Repository.Root, "tests", "teams-validation");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@microsoft", "app-manifest")), "npm package @microsoft/app-manifest missing: run ./test.sh (it installs it)");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("validate-manifest.js");
        start.ArgumentList.Add(manifestPath);
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return (node.ExitCode, output + errors);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
