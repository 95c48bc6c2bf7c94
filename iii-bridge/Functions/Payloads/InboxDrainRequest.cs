using Harness.Sessions;
using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>session-inbox::drain</c> payload: which queue (<c>steering</c> or <c>followup</c>) of which session.</summary>
public sealed record InboxDrainRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }

    public (string SessionId, string Name) Validate() =>
        (Require.Key(SessionId, "session_id"), Require.OneOf(Name, "name", InboxNames.All));
}
