using Harness.Approvals;
using Harness.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>The file-backed policy fails closed and picks up edits (deliberately unlike the original's fallbacks).</summary>
public sealed class YamlPermissionPolicyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("iii-permissions-").FullName;

    private string PolicyPath => Path.Combine(_directory, "iii-permissions.yaml");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private YamlPermissionPolicy Policy(string? path) =>
        new(new TestOptionsMonitor<PermissionPolicyOptions>(new() { Path = path }), NullLogger<YamlPermissionPolicy>.Instance);

    private static Task<PermissionVerdict> Check(YamlPermissionPolicy policy, string functionId = "state::set") =>
        policy.CheckAsync(functionId, WireJson.Empty, CancellationToken.None);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task No_configured_path_fails_closed(string? path)
    {
        var ex = await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(Policy(path)));

        Assert.Contains("no permissions file configured", ex.Message);
    }

    [Fact]
    public async Task Missing_file_fails_closed()
    {
        var ex = await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(Policy(PolicyPath)));

        Assert.Equal("permissions file not found: iii-permissions.yaml", ex.Message);
    }

    [Fact]
    public async Task Malformed_file_fails_closed_with_the_format_problem()
    {
        File.WriteAllText(PolicyPath, "rules:\n  - \"!state::set\"\n  - function: \"shell::exec\"\n    action: ask\n");

        var ex = await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(Policy(PolicyPath)));

        Assert.Equal("invalid permissions file iii-permissions.yaml: rules[1].action: must be allow|deny", ex.Message);
    }

    [Fact]
    public async Task Malformed_file_keeps_failing_on_every_check()
    {
        File.WriteAllText(PolicyPath, "rules: [\"!\"]");
        var policy = Policy(PolicyPath);

        await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(policy));
        await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(policy));
    }

    [Fact]
    public async Task Valid_file_is_loaded_on_first_use()
    {
        File.WriteAllText(PolicyPath, "version: 1\nrules:\n  - \"!state::set\"\n  - \"state::get\"\n");
        var policy = Policy(PolicyPath);

        Assert.Equal(PermissionVerdict.Deny, (await Check(policy, "state::set")).Decision);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy, "state::get")).Decision);
        Assert.Equal(PermissionVerdict.NeedsApproval, (await Check(policy, "shell::exec")).Decision);
    }

    [Fact]
    public async Task Fixing_the_file_recovers_without_restart()
    {
        var policy = Policy(PolicyPath);
        await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(policy));

        File.WriteAllText(PolicyPath, "rules:\n  - function: state::set\n    action: nope\n");
        await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(policy));

        File.WriteAllText(PolicyPath, "rules:\n  - function: state::set\n    action: deny\n");
        Assert.Equal(PermissionVerdict.Deny, (await Check(policy)).Decision);
    }

    [Fact]
    public async Task Edited_file_is_hot_reloaded()
    {
        File.WriteAllText(PolicyPath, "rules: [\"state::set\"]");
        var policy = Policy(PolicyPath);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy)).Decision);

        File.WriteAllText(PolicyPath, "rules: [\"!state::set\", \"state::get\"]");

        Assert.Equal(PermissionVerdict.Deny, (await Check(policy)).Decision);
    }

    [Fact]
    public async Task Same_size_rewrite_within_the_same_timestamp_is_still_seen()
    {
        var stamp = DateTime.UtcNow;
        File.WriteAllText(PolicyPath, "rules: [\"a::b\"]");
        File.SetLastWriteTimeUtc(PolicyPath, stamp);
        var policy = Policy(PolicyPath);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy, "a::b")).Decision);

        File.WriteAllText(PolicyPath, "rules: [\"a::c\"]");
        File.SetLastWriteTimeUtc(PolicyPath, stamp);

        Assert.Equal(PermissionVerdict.NeedsApproval, (await Check(policy, "a::b")).Decision);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy, "a::c")).Decision);
    }

    [Fact]
    public async Task Breaking_a_loaded_file_fails_closed_instead_of_keeping_the_old_rules()
    {
        File.WriteAllText(PolicyPath, "rules: [\"state::set\"]");
        var policy = Policy(PolicyPath);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy)).Decision);

        File.WriteAllText(PolicyPath, "rules: [\"state::set\", {function: x}]");

        var ex = await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(policy));
        Assert.Contains("rules[1].action", ex.Message);
    }

    [Fact]
    public async Task Deleting_the_file_fails_closed()
    {
        File.WriteAllText(PolicyPath, "rules: [\"state::set\"]");
        var policy = Policy(PolicyPath);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy)).Decision);

        File.Delete(PolicyPath);

        await Assert.ThrowsAsync<PolicyUnavailableException>(() => Check(policy));
    }

    [Fact]
    public async Task Changing_the_configured_path_switches_files()
    {
        var other = Path.Combine(_directory, "other.yaml");
        File.WriteAllText(PolicyPath, "rules: [\"state::set\"]");
        File.WriteAllText(other, "rules: [\"!state::set\"]");
        var options = new TestOptionsMonitor<PermissionPolicyOptions>(new() { Path = PolicyPath });
        var policy = new YamlPermissionPolicy(options, NullLogger<YamlPermissionPolicy>.Instance);
        Assert.Equal(PermissionVerdict.Allow, (await Check(policy)).Decision);

        options.CurrentValue = new() { Path = other };

        Assert.Equal(PermissionVerdict.Deny, (await Check(policy)).Decision);
    }

    [Fact]
    public async Task Concurrent_checks_see_a_consistent_policy()
    {
        File.WriteAllText(PolicyPath, "rules: [\"!state::set\"]");
        var policy = Policy(PolicyPath);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Check(policy))));

        Assert.All(verdicts, v => Assert.Equal(PermissionVerdict.Deny, v.Decision));
    }

    [Fact]
    public async Task Cancelled_check_throws_cancellation()
    {
        File.WriteAllText(PolicyPath, "rules: []");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Policy(PolicyPath).CheckAsync("a::b", WireJson.Empty, new CancellationToken(canceled: true)));
    }
}
