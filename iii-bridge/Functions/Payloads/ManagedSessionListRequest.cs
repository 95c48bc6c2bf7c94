namespace Harness.Bridge.Functions.Payloads;

/// <summary>
/// <c>session::list {limit?, cursor?, order?, status?, metadata?}</c>: order <c>updated_desc</c> (default),
/// <c>created_desc</c> or <c>created_asc</c>; <c>metadata</c> keeps sessions whose metadata has every given key equal.
/// </summary>
public sealed record ManagedSessionListRequest
{
    [JsonPropertyName("limit")] public int? Limit { get; init; }
    [JsonPropertyName("cursor")] public string? Cursor { get; init; }
    [JsonPropertyName("order")] public string? Order { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
}

/// <summary><c>session::list</c> answer; <c>next_cursor</c> is absent on the last page.</summary>
public sealed record ManagedSessionListResult
{
    [JsonPropertyName("sessions")] public IReadOnlyList<Sessions.ManagedSessionMeta> Sessions { get; init; } = [];
    [JsonPropertyName("next_cursor")] public string? NextCursor { get; init; }
}
