namespace Harness.Triggers;

/// <summary>A bridge silo's copy of the bindings: the grain pushes each new snapshot before the change returns.</summary>
public interface IConsoleTriggerBindingsObserver : IGrainObserver
{
    Task BindingsChanged(ConsoleTriggerBindings snapshot);
}
