namespace Harness.Bridge.Client;

/// <summary>A binding the engine forwarded to us because we provide its trigger type.</summary>
public sealed record IiiTriggerBinding(string Id, string TriggerType, string FunctionId, JsonElement? Config, JsonElement? Metadata);
