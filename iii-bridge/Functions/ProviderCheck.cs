using Harness.Providers;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Bridge.Functions;

/// <summary>
/// A run whose provider nothing serves, or whose model its provider does not list (<see cref="KnownModelCheck"/>), is
/// refused before anything is stored (it would start, fail in its first step and leave no message). An empty
/// provider routes by model (to a built-in), so then the model is named. Used by <c>run::start</c>,
/// <c>harness::trigger</c> and <c>harness::send</c>.
/// </summary>
public static class ProviderCheck
{
    public static async Task RequireAsync(IGrainFactory grains, IServiceProvider services, string? requestedProvider, string model)
    {
        if (services.GetService<IProviderRegistry>() is not { } registry)
        {
            return;
        }
        var name = ProviderRouter.Decide(requestedProvider, model);
        var provider = await registry.ResolveAsync(name, CancellationToken.None);
        if (provider is not null)
        {
            await KnownModelCheck.RequireAsync(grains, provider, model);
            return;
        }
        var known = string.Join(", ", registry.All.Select(p => p.Name).Order(StringComparer.Ordinal));
        throw string.IsNullOrWhiteSpace(requestedProvider)
            ? new PayloadValidationException("model", $"routes to provider '{name}', which is not registered (registered: {known})")
            : new PayloadValidationException("provider", $"'{name}' is not registered (registered: {known}; others join with harness::provider::register)");
    }
}
