using Harness.Hosting;
using Harness.Models;
using Harness.Validation;

namespace Harness.Providers;

/// <summary>
/// Stores the runtime API key, URL and max tokens of one provider (key = provider name) in <see cref="HarnessStorage"/>.
/// Never logs the key.
/// </summary>
[GrainType("provider-config")]
public sealed class ProviderConfigGrain(
    [PersistentState("provider-config", HarnessStorage.Name)] IPersistentState<ProviderConfigState> state,
    TimeProvider time) : Grain, IProviderConfigGrain
{
    public async Task<ProviderConfigStatus> Configure(ProviderConfigureRequest request)
    {
        request.Validate();
        var provider = this.GetPrimaryKeyString();
        if (!string.Equals(request.Provider, provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new PayloadValidationException("provider", $"must be '{provider}' for this grain");
        }
        state.State = state.State.Apply(request, time.GetUtcNow());
        await state.WriteStateAsync();
        return state.State.ToStatus(provider);
    }

    public Task<ProviderConfigStatus> GetStatus() => Task.FromResult(state.State.ToStatus(this.GetPrimaryKeyString()));

    public Task<ProviderCredentials?> GetCredentials() => Task.FromResult(state.State.ToCredentials());

    public async Task Clear()
    {
        await state.ClearStateAsync();
        state.State = new ProviderConfigState();
    }
}
