namespace Harness.Bridge.Client;

/// <summary>A trigger this worker binds; the id is chosen once and replayed unchanged after every reconnect.</summary>
public sealed record IiiTriggerRegistration(string Id, string TriggerType, string FunctionId, JsonElement Config, JsonElement? Metadata);
