namespace Harness.Triggers;

/// <summary>Stored form of the C4 bindings: binding id → binding, and the snapshot version.</summary>
public sealed class ConsoleTriggerBindingsState
{
    [System.Text.Json.Serialization.JsonPropertyName("bindings")] public Dictionary<string, ConsoleTriggerBinding> Bindings { get; set; } = new(StringComparer.Ordinal);
    [System.Text.Json.Serialization.JsonPropertyName("version")] public long Version { get; set; }
}
