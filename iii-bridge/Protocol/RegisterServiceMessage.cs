namespace Harness.Bridge.Protocol;

/// <summary><c>registerservice</c> (W→E): optional grouping; the engine derives services from id prefixes anyway.</summary>
public sealed record RegisterServiceMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("parent_service_id")] public string? ParentServiceId { get; init; }
}
