using Harness.Validation;

namespace Harness.Turns;

/// <summary>A payload that only names a session: <c>run::abort</c>, <c>turn::get_state</c>, <c>turn::&lt;state&gt;</c>.</summary>
[GenerateSerializer]
public sealed record SessionRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }

    public string Validate() => Require.Key(SessionId, "session_id");
}
