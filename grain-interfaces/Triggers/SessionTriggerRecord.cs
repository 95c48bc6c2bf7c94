namespace Harness.Triggers;

/// <summary>
/// One trigger subscription a session's agent registered (<c>engine::register_trigger</c>, intercepted by the bridge):
/// what <c>harness::triggers::list</c> shows (console-and-data §1.6). A fire notifies the owner session (no
/// <see cref="Target"/>) or calls <see cref="Target"/> with the event.
/// </summary>
[GenerateSerializer]
public sealed record SessionTriggerRecord
{
    [Id(0)] public required string SubscriptionId { get; init; }

    /// <summary>The engine binding's id (the bridge uses the subscription id).</summary>
    [Id(1)] public string? TriggerId { get; init; }

    [Id(2)] public required string TriggerType { get; init; }

    /// <summary>The trigger config as JSON text, passed to the engine verbatim.</summary>
    [Id(3)] public string ConfigJson { get; init; } = "{}";

    [Id(4)] public string? Target { get; init; }
    [Id(5)] public string? Label { get; init; }
    [Id(6)] public bool Once { get; init; }
    [Id(7)] public long? MaxFires { get; init; }
    [Id(8)] public long? ExpiresAt { get; init; }
    [Id(9)] public long Fires { get; init; }
    [Id(10)] public long CreatedAt { get; init; }

    /// <summary>Free text the notification shows (<c>metadata.action</c>).</summary>
    [Id(11)] public string? Action { get; init; }
}

/// <summary>What one delivery did to the subscription: the record after counting it, and whether it retired.</summary>
[GenerateSerializer]
public sealed record SessionTriggerFire
{
    [Id(0)] public required SessionTriggerRecord Record { get; init; }
    [Id(1)] public bool Retired { get; init; }
}
