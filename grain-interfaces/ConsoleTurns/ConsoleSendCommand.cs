using Harness.Messages;
using Harness.Turns;

namespace Harness.ConsoleTurns;

/// <summary>A validated <c>harness::send</c>: the message, its dedupe key and the run settings (model/provider may be inherited).</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleSendCommand
{
    [Id(0)] public required AgentMessage Message { get; init; }
    [Id(1)] public string? IdempotencyKey { get; init; }

    /// <summary>The run to start when the session is idle (session id set; no messages; provider/model null = inherit).</summary>
    [Id(2)] public required RunStartRequest Run { get; init; }
}
