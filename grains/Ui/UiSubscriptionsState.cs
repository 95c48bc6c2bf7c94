namespace Harness.Ui;

/// <summary>Stored form of the UI subscriptions: browser id → followed session ids (or <c>__all__</c>), model followers.</summary>
public sealed class UiSubscriptionsState
{
    [System.Text.Json.Serialization.JsonPropertyName("sessions")] public Dictionary<string, List<string>> Sessions { get; set; } = new(StringComparer.Ordinal);
    [System.Text.Json.Serialization.JsonPropertyName("models")] public List<string> Models { get; set; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("session_events_muted")] public List<string> SessionEventsMuted { get; set; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("version")] public long Version { get; set; }
}
