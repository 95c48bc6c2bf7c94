using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Harness.Approvals;

/// <summary>Registers the approval gate, the YAML permission policy and their options.</summary>
public static class ApprovalServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="PermissionPolicyOptions"/> and <see cref="ApprovalGateOptions"/> from
    /// <c>Harness:Permissions</c> (<c>Path</c>, <c>CheckTimeout</c>, <c>DefaultMode</c>, <c>SettingsRead*</c>) and registers
    /// <see cref="IPermissionPolicy"/> (<see cref="YamlPermissionPolicy"/>) and <see cref="IApprovalGate"/>
    /// (<see cref="ApprovalGate"/>) as singletons. The settings grain reads <see cref="ApprovalGateOptions"/>,
    /// so call this on the silo's services.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">
    /// The application configuration (the <c>Harness:Permissions</c> section is read from it), or that section itself.
    /// </param>
    public static IServiceCollection AddHarnessApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection given
                      && string.Equals(given.Path, PermissionPolicyOptions.SectionName, StringComparison.OrdinalIgnoreCase)
            ? given
            : configuration.GetSection(PermissionPolicyOptions.SectionName);

        services.AddOptions<PermissionPolicyOptions>()
            .Bind(section)
            .Validate(o => o.CheckTimeout > TimeSpan.Zero, "Harness:Permissions:CheckTimeout must be positive (hh:mm:ss)")
            .ValidateOnStart();
        services.AddOptions<ApprovalGateOptions>()
            .Bind(section)
            .Validate(o => ApprovalModes.All.Contains(o.DefaultMode), "Harness:Permissions:DefaultMode must be manual|auto|full")
            .Validate(o => o.SettingsReadAttempts is >= 1 and <= 20, "Harness:Permissions:SettingsReadAttempts must be 1..20")
            .Validate(o => o.SettingsReadBackoff >= TimeSpan.Zero, "Harness:Permissions:SettingsReadBackoff must not be negative (hh:mm:ss)")
            .Validate(o => o.SettingsReadBudget > TimeSpan.Zero, "Harness:Permissions:SettingsReadBudget must be positive (hh:mm:ss)")
            .ValidateOnStart();

        services.TryAddSingleton<IPermissionPolicy, YamlPermissionPolicy>();
        services.TryAddSingleton<IApprovalGate, ApprovalGate>();
        return services;
    }
}
