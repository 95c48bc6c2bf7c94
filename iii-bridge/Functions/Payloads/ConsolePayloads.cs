using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>harness::status</c> / <c>harness::stop</c> / queue / triggers payloads of the C4 console.</summary>
public sealed record ConsoleSessionRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("turn_id")] public string? TurnId { get; init; }
    [JsonPropertyName("entry_id")] public string? EntryId { get; init; }
    [JsonPropertyName("message")] public JsonElement? Message { get; init; }
    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    public string Session() => Require.Key(SessionId, "session_id");

    public string Entry() => Require.NonEmpty(EntryId, "entry_id");
}

[GenerateSerializer]
public sealed record ConsoleStopResult
{
    [Id(0), JsonPropertyName("stopping")] public bool Stopping { get; init; }
}

[GenerateSerializer]
public sealed record ConsoleQueueEditResult
{
    [Id(0), JsonPropertyName("ok")] public bool Ok { get; init; }

    /// <summary>False when the entry is no longer queued (the turn already took it).</summary>
    [Id(1), JsonPropertyName("found")] public bool Found { get; init; }
}

/// <summary><c>harness::triggers::list</c> reply.</summary>
public sealed record ConsoleSubscriptionsResult
{
    [JsonPropertyName("subscriptions")] public IReadOnlyList<JsonElement> Subscriptions { get; init; } = [];
}

/// <summary><c>harness::triggers::unregister</c> reply: false when no record existed (already retired), as the Rust harness answers.</summary>
public sealed record ConsoleUnregisterResult
{
    [JsonPropertyName("removed")] public bool Removed { get; init; }
}

/// <summary><c>approval::list-pending</c> payload: one session, or every session up to <c>limit</c>.</summary>
public sealed record ListPendingRequest
{
    public const int MaxLimit = 1000;

    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("limit")] public int? Limit { get; init; }

    public (string? Session, int Limit) Validate()
    {
        var session = string.IsNullOrEmpty(SessionId) ? null : Require.Key(SessionId, "session_id");
        if (Limit is < 1 or > MaxLimit)
        {
            throw new PayloadValidationException("limit", $"must be between 1 and {MaxLimit}");
        }
        return (session, Limit ?? 500);
    }
}

public sealed record ListPendingResult
{
    [JsonPropertyName("pending")] public IReadOnlyList<ConsoleTurns.PendingApprovalRecord> Pending { get; init; } = [];
}
