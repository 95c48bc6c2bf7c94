using Harness.Hosting;
using Harness.Observers;

namespace Harness.Triggers;

/// <inheritdoc cref="IConsoleTriggerBindingsGrain"/>
[GrainType("c4-trigger-bindings")]
public sealed class ConsoleTriggerBindingsGrain(
    [PersistentState("c4-trigger-bindings", HarnessStorage.Name)] IPersistentState<ConsoleTriggerBindingsState> state,
    TimeProvider time) : Grain, IConsoleTriggerBindingsGrain
{
    private readonly SnapshotFollowers<IConsoleTriggerBindingsObserver> _followers = new(time);
    private ConsoleTriggerBindings? _view;

    private ConsoleTriggerBindingsState S => state.State;

    public async Task Bind(ConsoleTriggerBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (S.Bindings.TryGetValue(binding.Id, out var existing) && existing with { CreatedAt = binding.CreatedAt } == binding)
        {
            return;  // a replayed registertrigger (the browser reconnected)
        }
        S.Bindings[binding.Id] = binding;
        await SaveAsync();
    }

    public async Task<bool> Unbind(string bindingId)
    {
        if (!S.Bindings.Remove(bindingId))
        {
            return false;
        }
        await SaveAsync();
        return true;
    }

    public async Task<int> Forget(string functionId)
    {
        var gone = S.Bindings.Where(b => b.Value.FunctionId == functionId).Select(b => b.Key).ToList();
        foreach (var id in gone)
        {
            S.Bindings.Remove(id);
        }
        if (gone.Count > 0)
        {
            await SaveAsync();
        }
        return gone.Count;
    }

    public Task<ConsoleTriggerBindings> Get() => Task.FromResult(View);

    public Task<ConsoleTriggerBindings> Follow(IConsoleTriggerBindingsObserver observer)
    {
        _followers.Add(observer);
        return Task.FromResult(View);
    }

    public Task Unfollow(IConsoleTriggerBindingsObserver observer)
    {
        _followers.Remove(observer);
        return Task.CompletedTask;
    }

    private ConsoleTriggerBindings View => _view ??= new ConsoleTriggerBindings
    {
        Version = S.Version,
        Bindings = [.. S.Bindings.Values.OrderBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)],
    };

    private async Task SaveAsync()
    {
        _view = null;
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();  // reload what storage holds rather than serve unsaved bindings
            throw;
        }
        var snapshot = View;
        await _followers.PushAsync(f => f.BindingsChanged(snapshot));
    }
}
