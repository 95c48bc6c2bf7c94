using System.Security.Cryptography;
using Harness.Hosting;
using Harness.Models;
using Harness.Validation;

namespace Harness.Providers;

/// <summary>
/// Stores the runtime API key, URL and max tokens of one provider (key = provider name) in <see cref="HarnessStorage"/>.
/// The key is stored encrypted (<see cref="ProviderKeyProtector"/>); a row still holding a plaintext key is
/// re-written encrypted on activation. Never logs the key.
/// </summary>
[GrainType("provider-config")]
public sealed partial class ProviderConfigGrain(
    [PersistentState("provider-config", HarnessStorage.Name)] IPersistentState<ProviderConfigState> state,
    ProviderKeyProtector protector,
    TimeProvider time,
    ILogger<ProviderConfigGrain> logger) : Grain, IProviderConfigGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.ApiKey is not null)
        {
            state.State = state.State.MigrateLegacyKey(protector.Protect);
            await state.WriteStateAsync(cancellationToken);
            LogMigrated(logger, this.GetPrimaryKeyString());
        }
    }

    public async Task<ProviderConfigStatus> Configure(ProviderConfigureRequest request)
    {
        request.Validate();
        var provider = this.GetPrimaryKeyString();
        if (!string.Equals(request.Provider, provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new PayloadValidationException("provider", $"must be '{provider}' for this grain");
        }
        state.State = state.State.Apply(request, time.GetUtcNow(), protector.Protect);
        await state.WriteStateAsync();
        return state.State.ToStatus(provider);
    }

    public Task<ProviderConfigStatus> GetStatus() => Task.FromResult(state.State.ToStatus(this.GetPrimaryKeyString()));

    public Task<ProviderCredentials?> GetCredentials()
    {
        try
        {
            return Task.FromResult(state.State.ToCredentials(protector.Unprotect));
        }
        catch (CryptographicException)
        {
            // The key ring lost the key this was encrypted with: the URL and limits still apply, the key must be set again.
            LogUndecryptable(logger, this.GetPrimaryKeyString());
            return Task.FromResult((state.State with { ProtectedApiKey = null, ApiKey = null }).ToCredentials(k => k));
        }
    }

    public async Task Clear()
    {
        await state.ClearStateAsync();
        state.State = new ProviderConfigState();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Provider}: the stored plaintext API key was re-written encrypted")]
    private static partial void LogMigrated(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provider {Provider}: the stored API key cannot be decrypted (its Data Protection key is not in the key ring); configure the key again")]
    private static partial void LogUndecryptable(ILogger logger, string provider);
}
