using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SupportBot.Core.Escalations;

/// <summary>Where an escalation thread is opened: a Slack channel, or a Teams channel conversation.</summary>
/// <param name="Surface"><c>slack</c> or <c>teams</c>.</param>
/// <param name="Channel">The Slack channel id, or the Teams channel conversation id.</param>
/// <param name="ServiceUrl">Teams only: the Bot Connector service URL of the tenant's region.</param>
/// <param name="Tenant">Teams only: the tenant id.</param>
public sealed record RouteDestination(string Surface, string Channel, string? ServiceUrl = null, string? Tenant = null);

/// <summary>One owning team: who it is, which words route to it, where it works and its SLA.</summary>
public sealed record EscalationRoute(
    string Team,
    string Name,
    IReadOnlyList<string> Match,
    RouteDestination Destination,
    TimeSpan? AcknowledgeWithin,
    TimeSpan? ResolveWithin)
{
    /// <summary>
    /// Groups whose members alone may acknowledge or resolve: Slack user group ids (<c>S…</c>), or Entra ID group
    /// object ids for a Teams team; empty: anyone in the team's thread.
    /// </summary>
    public IReadOnlyList<string> Responders { get; init; } = [];

    /// <summary>When the team works; SLA windows count working time only. Null: the wall clock.</summary>
    public BusinessHours? Hours { get; init; }

    /// <summary>SLA windows per severity, where the route sets them (<c>sla.sev1</c> …); others use the route's.</summary>
    public IReadOnlyDictionary<Severity, (TimeSpan? Acknowledge, TimeSpan? Resolve)> SeveritySla { get; init; } =
        new Dictionary<Severity, (TimeSpan?, TimeSpan?)>();

    /// <summary>People a new escalation is assigned to in turn (platform user ids), skipping those marked away or off work.</summary>
    public IReadOnlyList<string> Rotation { get; init; } = [];

    /// <summary>
    /// Working hours of some of the rotation's people (<c>people.ID.hours</c>), each in their own time zone; the rotation
    /// skips a person outside theirs. People not listed work the team's hours, or any time when the team has none.
    /// </summary>
    public IReadOnlyDictionary<string, BusinessHours> PersonHours { get; init; } = new Dictionary<string, BusinessHours>();

    /// <summary>True when <paramref name="person"/> is at work at <paramref name="at"/>: their own hours, else the team's.</summary>
    public bool IsAtWork(string person, DateTimeOffset at) =>
        PersonHours.TryGetValue(person, out var own) ? own.IsOpen(at) : Hours?.IsOpen(at) ?? true;

    /// <summary>A channel on the team's platform told of every new escalation (Slack channel id, Teams channel conversation id).</summary>
    public string? Triage { get; init; }

    /// <summary>The team lead (a platform user id), named in breach notes.</summary>
    public string? Lead { get; init; }

    /// <summary>The acknowledgement and resolution windows for <paramref name="severity"/>.</summary>
    public (TimeSpan? Acknowledge, TimeSpan? Resolve) Windows(Severity severity) =>
        SeveritySla.TryGetValue(severity, out var windows)
            ? (windows.Acknowledge ?? AcknowledgeWithin, windows.Resolve ?? ResolveWithin)
            : (AcknowledgeWithin, ResolveWithin);

    /// <summary>The deadline of a <paramref name="window"/> started at <paramref name="start"/>: in working time when the team has hours.</summary>
    public DateTimeOffset Deadline(DateTimeOffset start, TimeSpan window) => Hours?.Add(start, window) ?? start + window;
}

/// <summary>
/// The routing rules (docs/configuration.md): product area → team, platform, channel, SLA. Read from YAML and
/// validated as a whole; any problem is reported with its line and nothing is half-loaded.
/// </summary>
public sealed partial class EscalationRoutes
{
    /// <summary>The routes in force, swapped whole when the file changes (<see cref="ReplaceWith"/>): readers see one version or the next, never a mix.</summary>
    private volatile Snapshot _current;

    private sealed record Snapshot(string Default, IReadOnlyList<EscalationRoute> Routes, Dictionary<string, EscalationRoute> ByTeam);

    private EscalationRoutes(string defaultTeam, IReadOnlyList<EscalationRoute> routes) =>
        _current = new Snapshot(defaultTeam, routes, routes.ToDictionary(r => r.Team, StringComparer.OrdinalIgnoreCase));

    private Dictionary<string, EscalationRoute> ByTeam => _current.ByTeam;

    public string Default => _current.Default;

    public IReadOnlyList<EscalationRoute> Routes => _current.Routes;

    /// <summary>Takes on <paramref name="newer"/>'s routes (a changed routes file); escalations already open keep their team ids.</summary>
    public void ReplaceWith(EscalationRoutes newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        _current = newer._current;
    }

    /// <summary>
    /// False for the built-in sample routes on a deployment that faces real users (Slack or Teams configured):
    /// they name made-up channels, so no escalation may start from them.
    /// </summary>
    public bool SetUp { get; private init; } = true;

    public const string NotSetUpText = "Escalations are not set up here: an administrator sets Escalation:RoutesFile.";

    /// <summary>These routes, marked as not to be used (the samples on a real deployment).</summary>
    public EscalationRoutes NotForUse() => new(Default, Routes) { SetUp = false };

    public EscalationRoute? Find(string team) => ByTeam.GetValueOrDefault(team.Trim());

    public EscalationRoute DefaultRoute => ByTeam[Default];

    /// <summary>
    /// The team a thread most likely belongs to: match words found in the thread, plus one vote for
    /// each cited article whose product area is a team. Ties and silence go to the default team.
    /// </summary>
    public EscalationRoute Suggest(string threadText, IEnumerable<string> citedProducts)
    {
        ArgumentNullException.ThrowIfNull(threadText);
        var text = " " + NonWord().Replace(threadText.ToLowerInvariant(), " ") + " ";
        var votes = Routes.ToDictionary(r => r.Team, r => r.Match.Sum(word => Occurrences(text, " " + NonWord().Replace(word.ToLowerInvariant(), " ").Trim() + " ")), StringComparer.OrdinalIgnoreCase);
        foreach (var product in citedProducts ?? [])
        {
            if (votes.TryGetValue(product, out var count))
            {
                votes[product] = count + 1;
            }
        }

        var best = votes.MaxBy(v => v.Value);
        return best.Value > 0 && votes.Count(v => v.Value == best.Value) == 1 ? ByTeam[best.Key] : DefaultRoute;
    }

    private static int Occurrences(string text, string word)
    {
        var count = 0;
        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static EscalationRoutes Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (IOException ex)
        {
            throw new RoutesException($"cannot read '{path}' ({ex.Message})");
        }
    }

    public static EscalationRoutes Parse(string yaml)
    {
        RoutesDocument document;
        try
        {
            document = Deserializer.Deserialize<RoutesDocument?>(yaml) ?? throw new RoutesException("the file is empty");
        }
        catch (YamlException ex)
        {
            throw new RoutesException($"line {ex.Start.Line}: {(ex.InnerException ?? ex).Message}");
        }

        var routes = new List<EscalationRoute>();
        foreach (var (route, index) in (document.Routes ?? []).Select((r, i) => (r, i + 1)))
        {
            routes.Add(Validate(route, index));
        }

        if (routes.Count == 0)
        {
            throw new RoutesException("no routes are defined");
        }

        var duplicate = routes.GroupBy(r => r.Team, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RoutesException($"team '{duplicate.Key}' is defined twice");
        }

        var defaultTeam = document.Default?.Trim();
        if (string.IsNullOrEmpty(defaultTeam) || !routes.Any(r => string.Equals(r.Team, defaultTeam, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RoutesException($"default '{defaultTeam}' must name one of the routes' teams");
        }

        return new EscalationRoutes(routes.First(r => string.Equals(r.Team, defaultTeam, StringComparison.OrdinalIgnoreCase)).Team, routes);
    }

    private static EscalationRoute Validate(RouteDocument route, int index)
    {
        var where = $"route {index}";
        if (string.IsNullOrWhiteSpace(route.Team) || !TeamId().IsMatch(route.Team))
        {
            throw new RoutesException($"{where}: 'team' must be a short id of letters, digits, '-' or '_' (got '{route.Team}')");
        }

        where = $"route '{route.Team}'";
        RouteDestination destination = (route.Slack, route.Teams) switch
        {
            ({ } slack, null) when !string.IsNullOrWhiteSpace(slack.Channel) => new RouteDestination("slack", slack.Channel.Trim()),
            (null, { } teams) when Uri.TryCreate(teams.ServiceUrl, UriKind.Absolute, out _) && !string.IsNullOrWhiteSpace(teams.Conversation)
                => new RouteDestination("teams", teams.Conversation.Trim(), teams.ServiceUrl!.Trim(), teams.Tenant?.Trim()),
            (null, null) => throw new RoutesException($"{where}: needs 'slack' or 'teams' (a team lives on exactly one platform)"),
            ({ }, { }) => throw new RoutesException($"{where}: has both 'slack' and 'teams'; a team lives on exactly one platform"),
            ({ }, null) => throw new RoutesException($"{where}: slack needs 'channel'"),
            _ => throw new RoutesException($"{where}: teams needs an absolute 'serviceUrl' and a 'conversation'"),
        };

        var responders = (route.Slack?.Responders ?? route.Teams?.Responders ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        foreach (var responder in responders)
        {
            var valid = destination.Surface == "slack" ? responder.StartsWith('S') && responder.All(char.IsAsciiLetterOrDigit) : Guid.TryParse(responder, out _);
            if (!valid)
            {
                throw new RoutesException($"{where}: responder '{responder}' must be a {(destination.Surface == "slack" ? "Slack user group id (S…)" : "Teams (Entra ID) group object id, a GUID")}");
            }
        }

        var severitySla = new Dictionary<Severity, (TimeSpan?, TimeSpan?)>();
        foreach (var (severity, windows) in new[] { (Severity.Sev1, route.Sla?.Sev1), (Severity.Sev2, route.Sla?.Sev2), (Severity.Sev3, route.Sla?.Sev3), (Severity.Sev4, route.Sla?.Sev4) })
        {
            if (windows is not null)
            {
                var key = $"sla.sev{(int)severity}";
                severitySla[severity] = (Duration(windows.Acknowledge, where, key + ".acknowledge"), Duration(windows.Resolve, where, key + ".resolve"));
            }
        }

        var people = (route.Rotation ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
        foreach (var person in people.Append(route.Lead?.Trim()).OfType<string>().Where(p => p.Length > 0))
        {
            if (!person.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '_'))
            {
                throw new RoutesException($"{where}: '{person}' is not a user id (Slack: U…; Teams: the user's Entra ID object id)");
            }
        }

        var personHours = new Dictionary<string, BusinessHours>(StringComparer.Ordinal);
        foreach (var (person, settings) in route.People ?? [])
        {
            var id = person.Trim();
            if (!people.Contains(id, StringComparer.Ordinal))
            {
                throw new RoutesException($"{where}: people.{id} is not in the rotation");
            }

            if (settings?.Hours is { } hours)
            {
                personHours[id] = BusinessHours.Parse(hours.Zone, hours.Days, hours.From, hours.To, holidays: null, $"{where}, people.{id}");
            }
        }

        return new EscalationRoute(
            route.Team.Trim(),
            string.IsNullOrWhiteSpace(route.Name) ? route.Team.Trim() : route.Name.Trim(),
            [.. (route.Match ?? []).Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim())],
            destination,
            Duration(route.Sla?.Acknowledge, where, "sla.acknowledge"),
            Duration(route.Sla?.Resolve, where, "sla.resolve"))
        {
            Responders = responders,
            Hours = route.Hours is null && route.Holidays is null
                ? null
                : BusinessHours.Parse(route.Hours?.Zone, route.Hours?.Days, route.Hours?.From, route.Hours?.To, route.Holidays, where),
            SeveritySla = severitySla,
            Rotation = people,
            PersonHours = personHours,
            Lead = string.IsNullOrWhiteSpace(route.Lead) ? null : route.Lead.Trim(),
            Triage = (route.Slack?.Triage ?? route.Teams?.Triage) is { Length: > 0 } triage ? triage.Trim() : null,
        };
    }

    /// <summary>A number with <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>: <c>30m</c>, <c>8h</c>, <c>2d</c>.</summary>
    public static TimeSpan? Duration(string? text, string where, string key)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new RoutesException($"{where}: {key} '{text}' is not a duration like 30m, 8h or 2d");
        }

        return match.Groups["unit"].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
    }

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    [GeneratedRegex(@"^(?<n>[0-9]{1,6})(?<unit>[smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex TeamId();

    [GeneratedRegex(@"[^a-z0-9\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();

    // The YAML shapes; unknown keys fail deserialization (a typo must not be silently ignored).
    internal sealed class RoutesDocument
    {
        public string? Default { get; set; }

        public List<RouteDocument>? Routes { get; set; }
    }

    internal sealed class RouteDocument
    {
        public string? Team { get; set; }

        public string? Name { get; set; }

        public List<string>? Match { get; set; }

        public SlackDocument? Slack { get; set; }

        public TeamsDocument? Teams { get; set; }

        public SlaDocument? Sla { get; set; }

        public HoursDocument? Hours { get; set; }

        public List<string>? Holidays { get; set; }

        public List<string>? Rotation { get; set; }

        public Dictionary<string, PersonDocument?>? People { get; set; }

        public string? Lead { get; set; }
    }

    internal sealed class PersonDocument
    {
        public HoursDocument? Hours { get; set; }
    }

    internal sealed class HoursDocument
    {
        public string? Zone { get; set; }

        public List<string>? Days { get; set; }

        public string? From { get; set; }

        public string? To { get; set; }
    }

    internal sealed class SlackDocument
    {
        public string? Channel { get; set; }

        public string? Triage { get; set; }

        public List<string>? Responders { get; set; }
    }

    internal sealed class TeamsDocument
    {
        public string? ServiceUrl { get; set; }

        public string? Conversation { get; set; }

        public string? Tenant { get; set; }

        public string? Triage { get; set; }

        public List<string>? Responders { get; set; }
    }

    internal class SlaWindowsDocument
    {
        public string? Acknowledge { get; set; }

        public string? Resolve { get; set; }
    }

    internal sealed class SlaDocument : SlaWindowsDocument
    {
        public SlaWindowsDocument? Sev1 { get; set; }

        public SlaWindowsDocument? Sev2 { get; set; }

        public SlaWindowsDocument? Sev3 { get; set; }

        public SlaWindowsDocument? Sev4 { get; set; }
    }
}

/// <summary>A routes file that cannot be used, with what is wrong and where.</summary>
public sealed class RoutesException : Exception
{
    public RoutesException()
    {
    }

    public RoutesException(string message)
        : base(message)
    {
    }

    public RoutesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
