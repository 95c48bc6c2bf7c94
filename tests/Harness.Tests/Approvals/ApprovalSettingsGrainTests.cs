using Harness.Approvals;
using Harness.Validation;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Per-session settings: defaults, modes, idempotent grants, clear, persistence across deactivation.</summary>
[Collection(ApprovalClusterCollection.Name)]
public sealed class ApprovalSettingsGrainTests(ApprovalClusterFixture fixture)
{
    private IApprovalSettingsGrain NewSession() =>
        fixture.Client.GetGrain<IApprovalSettingsGrain>($"s-{Guid.NewGuid():N}");

    [Fact]
    public async Task Unknown_session_gets_defaults()
    {
        var settings = await NewSession().GetSettings();

        Assert.Equal(ApprovalModes.Manual, settings.Mode);
        Assert.Empty(settings.AlwaysAllow);
        Assert.Empty(settings.ApprovedAlways);
        Assert.Equal(0, settings.ModeSetAt);
    }

    [Fact]
    public async Task Set_mode_records_mode_and_time_and_survives_deactivation()
    {
        var grain = NewSession();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var updated = await grain.SetMode(ApprovalModes.Auto);
        await fixture.Cluster.DeactivateAsync(grain);
        var reread = await grain.GetSettings();

        Assert.Equal(ApprovalModes.Auto, updated.Mode);
        Assert.InRange(updated.ModeSetAt, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(ApprovalModes.Auto, reread.Mode);
        Assert.Equal(updated.ModeSetAt, reread.ModeSetAt);
    }

    [Theory]
    [InlineData("yolo")]
    [InlineData("Manual")]
    [InlineData("")]
    public async Task Set_mode_rejects_unknown_modes_naming_the_field(string mode)
    {
        var grain = NewSession();

        var ex = await Assert.ThrowsAsync<PayloadValidationException>(() => grain.SetMode(mode));

        Assert.Equal("mode", ex.Field);
        Assert.Equal(ApprovalModes.Manual, (await grain.GetSettings()).Mode);
    }

    [Fact]
    public async Task Add_always_allow_is_idempotent()
    {
        var grain = NewSession();

        var first = await grain.AddAlwaysAllow("shell::exec");
        var second = await grain.AddAlwaysAllow("shell::exec");

        var grant = Assert.Single(second.AlwaysAllow);
        Assert.Equal("shell::exec", grant.FunctionId);
        Assert.Equal("user_click", grant.GrantedBy);
        Assert.Equal(first.AlwaysAllow[0].GrantedAt, grant.GrantedAt);
        Assert.True(grant.GrantedAt > 0);
        Assert.Empty(second.ApprovedAlways);
    }

    [Fact]
    public async Task Remove_always_allow_removes_only_that_function()
    {
        var grain = NewSession();
        await grain.AddAlwaysAllow("a::one");
        await grain.AddAlwaysAllow("a::two");

        var removed = await grain.RemoveAlwaysAllow("a::one");
        var again = await grain.RemoveAlwaysAllow("a::one");
        await fixture.Cluster.DeactivateAsync(grain);

        Assert.Equal(["a::two"], removed.AlwaysAllow.Select(g => g.FunctionId));
        Assert.Equal(["a::two"], again.AlwaysAllow.Select(g => g.FunctionId));
        Assert.Equal(["a::two"], (await grain.GetSettings()).AlwaysAllow.Select(g => g.FunctionId));
    }

    [Fact]
    public async Task Grants_survive_deactivation()
    {
        var grain = NewSession();
        await grain.AddAlwaysAllow("a::one");
        await grain.ApproveAlways("a::two");
        await grain.SetMode(ApprovalModes.Auto);

        await fixture.Cluster.DeactivateAsync(grain);
        var reread = await grain.GetSettings();

        Assert.Equal(ApprovalModes.Auto, reread.Mode);
        Assert.Equal(["a::one"], reread.AlwaysAllow.Select(g => g.FunctionId));
        Assert.Equal(["a::two"], reread.ApprovedAlways.Select(g => g.FunctionId));
    }

    [Fact]
    public async Task Approve_always_is_idempotent_and_separate_from_always_allow()
    {
        var grain = NewSession();

        await grain.ApproveAlways("shell::exec");
        var settings = await grain.ApproveAlways("shell::exec");

        Assert.Equal(["shell::exec"], settings.ApprovedAlways.Select(g => g.FunctionId));
        Assert.Empty(settings.AlwaysAllow);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Grants_reject_empty_function_ids_naming_the_field(string functionId)
    {
        var grain = NewSession();

        Assert.Equal("function_id", (await Assert.ThrowsAsync<PayloadValidationException>(() => grain.AddAlwaysAllow(functionId))).Field);
        Assert.Equal("function_id", (await Assert.ThrowsAsync<PayloadValidationException>(() => grain.RemoveAlwaysAllow(functionId))).Field);
        Assert.Equal("function_id", (await Assert.ThrowsAsync<PayloadValidationException>(() => grain.ApproveAlways(functionId))).Field);
    }

    [Fact]
    public async Task Clear_returns_the_session_to_defaults()
    {
        var grain = NewSession();
        await grain.SetMode(ApprovalModes.Full);
        await grain.AddAlwaysAllow("a::one");
        await grain.ApproveAlways("a::two");

        await grain.Clear();
        var cleared = await grain.GetSettings();
        await fixture.Cluster.DeactivateAsync(grain);
        var reread = await grain.GetSettings();

        foreach (var settings in new[] { cleared, reread })
        {
            Assert.Equal(ApprovalModes.Manual, settings.Mode);
            Assert.Empty(settings.AlwaysAllow);
            Assert.Empty(settings.ApprovedAlways);
            Assert.Equal(0, settings.ModeSetAt);
        }
    }

    [Fact]
    public async Task Configured_default_mode_applies_until_a_mode_is_set()
    {
        var untouched = NewSession();
        var grantedOnly = NewSession();
        var explicitManual = NewSession();
        await grantedOnly.AddAlwaysAllow("a::one");
        await explicitManual.SetMode(ApprovalModes.Manual);

        fixture.Configuration["Harness:Permissions:DefaultMode"] = ApprovalModes.Auto;
        fixture.Configuration.Reload();
        try
        {
            Assert.Equal(ApprovalModes.Auto, (await untouched.GetSettings()).Mode);
            Assert.Equal(ApprovalModes.Auto, (await grantedOnly.GetSettings()).Mode);
            Assert.Equal(ApprovalModes.Manual, (await explicitManual.GetSettings()).Mode);
        }
        finally
        {
            fixture.Configuration["Harness:Permissions:DefaultMode"] = ApprovalModes.Manual;
            fixture.Configuration.Reload();
        }
    }
}
