using Harness.Approvals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary><c>AddHarnessApprovals</c> binds <c>Harness:Permissions</c> and registers the gate and the policy.</summary>
public sealed class ApprovalServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values, bool passSection = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new GrainFactoryHolder().Factory);
        services.AddHarnessApprovals(passSection ? configuration.GetSection("Harness:Permissions") : configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Options_bind_from_harness_permissions()
    {
        using var provider = Build(new()
        {
            ["Harness:Permissions:Path"] = "/etc/harness/iii-permissions.yaml",
            ["Harness:Permissions:CheckTimeout"] = "00:00:02.500",
            ["Harness:Permissions:DefaultMode"] = "auto",
        });

        var policy = provider.GetRequiredService<IOptions<PermissionPolicyOptions>>().Value;
        Assert.Equal("/etc/harness/iii-permissions.yaml", policy.Path);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), policy.CheckTimeout);
        Assert.Equal("auto", provider.GetRequiredService<IOptions<ApprovalGateOptions>>().Value.DefaultMode);
    }

    [Fact]
    public void Options_bind_from_the_section_itself()
    {
        using var provider = Build(new() { ["Harness:Permissions:Path"] = "p.yaml" }, passSection: true);

        Assert.Equal("p.yaml", provider.GetRequiredService<IOptions<PermissionPolicyOptions>>().Value.Path);
    }

    [Fact]
    public void Defaults_apply_without_configuration()
    {
        using var provider = Build([]);

        var policy = provider.GetRequiredService<IOptions<PermissionPolicyOptions>>().Value;
        Assert.Null(policy.Path);
        Assert.Equal(TimeSpan.FromSeconds(5), policy.CheckTimeout);
        Assert.Equal("manual", provider.GetRequiredService<IOptions<ApprovalGateOptions>>().Value.DefaultMode);
    }

    [Fact]
    public void Invalid_default_mode_is_rejected()
    {
        using var provider = Build(new() { ["Harness:Permissions:DefaultMode"] = "yolo" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApprovalGateOptions>>().Value);
    }

    [Fact]
    public void Gate_and_policy_are_singletons()
    {
        using var provider = Build([]);

        Assert.IsType<YamlPermissionPolicy>(provider.GetRequiredService<IPermissionPolicy>());
        Assert.IsType<ApprovalGate>(provider.GetRequiredService<IApprovalGate>());
        Assert.Same(provider.GetRequiredService<IApprovalGate>(), provider.GetRequiredService<IApprovalGate>());
        Assert.NotNull(provider.GetRequiredService<ILogger<ApprovalGate>>());
    }

    private sealed class GrainFactoryHolder
    {
        public Orleans.IGrainFactory Factory { get; } = CountingGrainFactory.Create().Factory;
    }
}
