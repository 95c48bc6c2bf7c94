using Harness.Hosting;
using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// The bus-registered providers (singleton key <see cref="IProviderRegistrationsGrain.Key"/>), stored in
/// <see cref="HarnessStorage"/>. A provider re-registers at every start; an unchanged declaration is not written again.
/// </summary>
[GrainType("provider-registrations")]
public sealed class ProviderRegistrationsGrain(
    [PersistentState("provider-registrations", HarnessStorage.Name)] IPersistentState<ProviderRegistrationsState> state,
    TimeProvider time) : Grain, IProviderRegistrationsGrain
{
    public async Task<ProviderDeclaration> Register(ProviderDeclaration declaration)
    {
        var valid = declaration.Validate();
        var id = valid.Id!;
        if (state.State.Providers.TryGetValue(id, out var existing) && SameDeclaration(existing, valid))
        {
            return existing;
        }
        var stored = valid with { RegisteredAt = time.GetUtcNow().ToUnixTimeMilliseconds() };
        var providers = new Dictionary<string, ProviderDeclaration>(state.State.Providers, StringComparer.Ordinal) { [id] = stored };
        state.State = new ProviderRegistrationsState { Providers = providers };
        await state.WriteStateAsync();
        return stored;
    }

    public Task<IReadOnlyList<ProviderDeclaration>> List() =>
        Task.FromResult<IReadOnlyList<ProviderDeclaration>>([.. state.State.Providers.Values.OrderBy(p => p.Id, StringComparer.Ordinal)]);

    private static bool SameDeclaration(ProviderDeclaration a, ProviderDeclaration b) =>
        a.DisplayName == b.DisplayName
        && a.CredentialEnvVar == b.CredentialEnvVar
        && a.SupportsModelListing == b.SupportsModelListing
        && Text(a.ConfigSchema) == Text(b.ConfigSchema)
        && Text(a.Defaults) == Text(b.Defaults);

    private static string? Text(JsonElement? value) => value?.GetRawText();
}
