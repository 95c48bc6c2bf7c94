namespace Harness.Bridge.Client;

/// <summary>
/// Provider side of a trigger type this worker registers. Accept or reject (throw) bindings; fire a binding by
/// invoking its function (<see cref="IiiWorkerClient.InvokeVoid"/> with the binding's metadata).
/// </summary>
public interface IIiiTriggerTypeHandler
{
    Task RegisterTriggerAsync(IiiTriggerBinding binding, CancellationToken cancellationToken);

    Task UnregisterTriggerAsync(IiiTriggerBinding binding, CancellationToken cancellationToken);
}
