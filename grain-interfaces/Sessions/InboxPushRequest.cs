using Harness.Messages;
using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// <c>session-inbox::push</c>: queue a message for the running turn (<c>steering</c>) or after it (<c>followup</c>).
/// The original names the message <c>item</c>; either name is read (<see cref="Queued"/>).
/// </summary>
[GenerateSerializer]
public sealed record InboxPushRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("name")] public string? Name { get; init; }
    [Id(2), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(3), JsonPropertyName("item")] public AgentMessage? Item { get; init; }

    /// <summary>The message to queue: <c>message</c>, else <c>item</c>.</summary>
    [JsonIgnore] public AgentMessage? Queued => Message ?? Item;

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        Require.OneOf(Name, "name", InboxNames.All);
        if (Queued is null)
        {
            throw new PayloadValidationException("message", "is required (an AgentMessage; the original's name 'item' is read too)");
        }
        Require.OneOf(Queued.Role, Message is null ? "item.role" : "message.role", Messages.Roles.User, Messages.Roles.Custom);
    }
}
