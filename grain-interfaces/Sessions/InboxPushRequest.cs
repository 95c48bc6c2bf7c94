using Harness.Messages;
using Harness.Validation;

namespace Harness.Sessions;

/// <summary><c>session-inbox::push</c>: queue a message for the running turn (<c>steering</c>) or after it (<c>followup</c>).</summary>
[GenerateSerializer]
public sealed record InboxPushRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("name")] public string? Name { get; init; }
    [Id(2), JsonPropertyName("message")] public AgentMessage? Message { get; init; }

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        Require.OneOf(Name, "name", InboxNames.All);
        if (Message is null)
        {
            throw new PayloadValidationException("message", "is required (an AgentMessage)");
        }
        Require.OneOf(Message.Role, "message.role", Messages.Roles.User, Messages.Roles.Custom);
    }
}
