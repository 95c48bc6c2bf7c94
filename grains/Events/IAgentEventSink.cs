using Harness.Events;

namespace Harness.Events;

/// <summary>
/// Extra destinations for agent events besides the Orleans stream (the iii bridge forwards them to the engine's
/// <c>agent::events</c> stream). Called in order on the silo that hosts the turn; failures are logged and swallowed.
/// </summary>
public interface IAgentEventSink
{
    ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken);
}
