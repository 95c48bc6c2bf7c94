namespace Harness.Bridge.Protocol;

/// <summary>
/// <c>invokefunction.action</c>: absent = synchronous, <c>{"type":"void"}</c> = fire-and-forget,
/// <c>{"type":"enqueue","queue":…}</c> = through a named queue.
/// </summary>
public sealed record TriggerAction
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("queue")] public string? Queue { get; init; }

    public const string VoidType = "void";
    public const string EnqueueType = "enqueue";

    public static TriggerAction Void { get; } = new() { Type = VoidType };

    public static TriggerAction Enqueue(string queue) => new() { Type = EnqueueType, Queue = queue };

    [JsonIgnore] public bool IsVoid => Type == VoidType;
}
