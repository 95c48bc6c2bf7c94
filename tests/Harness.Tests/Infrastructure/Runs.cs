using Harness.Messages;
using Harness.Turns;

namespace Harness.Tests.Infrastructure;

public static class Runs
{
    public static RunStartRequest Start(string sessionId, string model, string text = "hi", int? maxTurns = null, string? messageId = null) => new()
    {
        SessionId = sessionId,
        MessageId = messageId,
        Provider = "scripted",
        Model = model,
        MaxTurns = maxTurns,
        Messages = [AgentMessage.User(text, 1)],
    };

    public static string NewSession() => $"s-{Guid.NewGuid():N}"[..14];
}
