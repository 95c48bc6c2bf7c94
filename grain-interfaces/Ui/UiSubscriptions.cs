namespace Harness.Ui;

/// <summary>
/// Who gets the harness UI pushes (harness-core §3.3): per browser the sessions it follows (<see cref="AllSessions"/> =
/// every session, the traces page), and the browsers that follow the models catalog. A snapshot: never mutated.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UiSubscriptions
{
    /// <summary>The session-set marker of a browser subscribed with <c>session_id: null</c>.</summary>
    public const string AllSessions = "__all__";

    [Id(0), JsonPropertyName("sessions")] public Dictionary<string, List<string>> Sessions { get; init; } = new(StringComparer.Ordinal);
    [Id(1), JsonPropertyName("models")] public List<string> Models { get; init; } = [];

    /// <summary>
    /// All-sessions browsers without a <c>ui::session::event::&lt;b&gt;</c> function (the C2 traces page registers only
    /// <c>ui::traces::changed</c>): they keep the traces pushes but get no session events until they subscribe again.
    /// </summary>
    [Id(2), JsonPropertyName("session_events_muted")] public List<string> SessionEventsMuted { get; init; } = [];

    /// <summary>Grows with each stored change (stored too): a follower keeps the newest snapshot it was given.</summary>
    [Id(3), JsonPropertyName("version")] public long Version { get; init; }

    /// <summary>Browsers that follow <paramref name="sessionId"/> or every session.</summary>
    public IEnumerable<string> BrowsersOf(string sessionId) =>
        Sessions.Where(b => (b.Value.Contains(sessionId) || b.Value.Contains(AllSessions)) && !SessionEventsMuted.Contains(b.Key)).Select(b => b.Key);

    /// <summary>Browsers subscribed to all sessions (traces and sessions-changed pushes).</summary>
    public IEnumerable<string> AllSessionBrowsers => Sessions.Where(b => b.Value.Contains(AllSessions)).Select(b => b.Key);
}
