using System.Text.Json;
using Harness.Approvals;
using Harness.Messages;
using Harness.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Spec §4.5 <c>consultBefore</c> (mirrors <c>turn-orchestrator/hook.test.ts</c>), against a real settings grain.</summary>
[Collection(ApprovalClusterCollection.Name)]
public sealed class ApprovalGateTests(ApprovalClusterFixture fixture)
{
    private const string Function = "shell::exec";

    private ApprovalGate Gate(
        IPermissionPolicy policy, Orleans.IGrainFactory? grains = null, TimeSpan? timeout = null, string defaultMode = ApprovalModes.Manual,
        int settingsReadAttempts = 4, TimeSpan? settingsReadBudget = null) =>
        new(grains ?? fixture.Client,
            policy,
            new TestOptionsMonitor<PermissionPolicyOptions>(new() { CheckTimeout = timeout ?? TimeSpan.FromSeconds(5) }),
            new TestOptionsMonitor<ApprovalGateOptions>(new()
            {
                DefaultMode = defaultMode,
                SettingsReadAttempts = settingsReadAttempts,
                SettingsReadBackoff = TimeSpan.FromMilliseconds(10),
                SettingsReadBudget = settingsReadBudget ?? TimeSpan.FromSeconds(10),
            }),
            NullLogger<ApprovalGate>.Instance);

    private static FunctionCall Call(string functionId, string? sessionId, string extraArgs = "") => new()
    {
        Id = "fc-1",
        FunctionId = functionId,
        Arguments = WireJson.Parse(sessionId is null
            ? $$"""{"command": "ls"{{extraArgs}}}"""
            : $$"""{"command": "ls", "session_id": "{{sessionId}}", "function_call_id": "fc-1", "function_id": "{{functionId}}"{{extraArgs}}}"""),
    };

    private async Task<string> SessionWith(string mode, string grant, string functionId = Function)
    {
        var sessionId = $"s-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IApprovalSettingsGrain>(sessionId);
        if (mode != ApprovalModes.Manual)
        {
            await grain.SetMode(mode);
        }
        if (grant == "approved_always")
        {
            await grain.ApproveAlways(functionId);
        }
        else if (grant == "always_allow")
        {
            await grain.AddAlwaysAllow(functionId);
        }
        return sessionId;
    }

    private static JsonElement Details(GateOutcome outcome)
    {
        Assert.Equal(GateOutcomeKind.Deny, outcome.Kind);
        return outcome.Denial!.Details!.Value;
    }

    public static TheoryData<string, string, string, GateOutcomeKind, bool> DecisionTable()
    {
        var data = new TheoryData<string, string, string, GateOutcomeKind, bool>();
        string[] grants = ["none", "approved_always", "always_allow"];
        string[] verdicts = [PermissionVerdict.Allow, PermissionVerdict.Deny, PermissionVerdict.NeedsApproval];
        foreach (var mode in ApprovalModes.All)
        {
            foreach (var grant in grants)
            {
                foreach (var verdict in verdicts)
                {
                    var settingsAllow = mode == ApprovalModes.Full
                                        || grant == "approved_always"
                                        || (mode == ApprovalModes.Auto && grant == "always_allow");
                    var expected = settingsAllow ? GateOutcomeKind.Allow : verdict switch
                    {
                        PermissionVerdict.Allow => GateOutcomeKind.Allow,
                        PermissionVerdict.Deny => GateOutcomeKind.Deny,
                        _ => GateOutcomeKind.Pending,
                    };
                    data.Add(mode, grant, verdict, expected, !settingsAllow);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DecisionTable))]
    public async Task Mode_grants_and_policy_verdict_decide_per_spec_table(
        string mode, string grant, string verdict, GateOutcomeKind expected, bool policyConsulted)
    {
        var sessionId = await SessionWith(mode, grant);
        var policy = StubPermissionPolicy.Returning(verdict);

        var outcome = await Gate(policy).ConsultAsync(Call(Function, sessionId), CancellationToken.None);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(policyConsulted ? 1 : 0, policy.Calls);
        Assert.Equal(expected == GateOutcomeKind.Deny, outcome.Denial is not null);
    }

    [Theory]
    [InlineData("approval::set_mode")]
    [InlineData("approval::add_always_allow")]
    [InlineData("approval::remove_always_allow")]
    [InlineData("approval::approve_always")]
    [InlineData("approval::get_settings")]
    [InlineData("approval::clear_settings")]
    public async Task Human_only_function_is_denied_with_zero_io(string functionId)
    {
        var (grains, probe) = CountingGrainFactory.Create();
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Allow);

        var outcome = await Gate(policy, grains, defaultMode: ApprovalModes.Full)
            .ConsultAsync(Call(functionId, "s-1", """, "mode": "full" """), CancellationToken.None);

        var details = Details(outcome);
        Assert.Equal(0, probe.Calls);
        Assert.Equal(0, policy.Calls);
        Assert.Equal("permissions", details.GetProperty("denied_by").GetString());
        Assert.Equal("human_only_function", details.GetProperty("rule_id").GetString());
        Assert.Equal("deny", details.GetProperty("rule_action").GetString());
        Assert.Equal(
            $"Permission denied: {functionId} matched rule human_only_function. This function is blocked by policy; try a different function.",
            outcome.Denial!.Content[0].Text);
    }

    [Fact]
    public async Task Human_only_function_is_denied_even_in_full_mode_with_grants()
    {
        var sessionId = await SessionWith(ApprovalModes.Full, "approved_always", "approval::set_mode");

        var outcome = await Gate(StubPermissionPolicy.Returning(PermissionVerdict.Allow))
            .ConsultAsync(Call("approval::set_mode", sessionId), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Deny, outcome.Kind);
    }

    [Fact]
    public async Task Approval_resolve_is_not_human_only_and_goes_to_the_policy()
    {
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Deny);

        var outcome = await Gate(policy).ConsultAsync(Call("approval::resolve", await SessionWith(ApprovalModes.Manual, "none")), CancellationToken.None);

        Assert.Equal(1, policy.Calls);
        Assert.Equal("yaml-deny", Details(outcome).GetProperty("rule_id").GetString());
    }

    [Fact]
    public async Task Approved_always_only_covers_its_own_function()
    {
        var sessionId = await SessionWith(ApprovalModes.Manual, "approved_always", "shell::fs::ls");
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.NeedsApproval);

        var granted = await Gate(policy).ConsultAsync(Call("shell::fs::ls", sessionId), CancellationToken.None);
        var other = await Gate(policy).ConsultAsync(Call("shell::fs::rm", sessionId), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Allow, granted.Kind);
        Assert.Equal(GateOutcomeKind.Pending, other.Kind);
        Assert.Equal(1, policy.Calls);
    }

    [Fact]
    public async Task Auto_mode_allow_list_beats_a_policy_deny()
    {
        var sessionId = await SessionWith(ApprovalModes.Auto, "always_allow");

        var outcome = await Gate(StubPermissionPolicy.Returning(PermissionVerdict.Deny)).ConsultAsync(Call(Function, sessionId), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Allow, outcome.Kind);
    }

    [Fact]
    public async Task Call_without_session_uses_defaults_and_the_policy()
    {
        var (grains, probe) = CountingGrainFactory.Create();
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.NeedsApproval);

        var outcome = await Gate(policy, grains).ConsultAsync(Call(Function, null), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Pending, outcome.Kind);
        Assert.Equal(0, probe.Calls);
        Assert.Equal(1, policy.Calls);
    }

    [Fact]
    public async Task Call_without_session_follows_a_full_default_mode()
    {
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Deny);

        var outcome = await Gate(policy, defaultMode: ApprovalModes.Full).ConsultAsync(Call(Function, null), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Allow, outcome.Kind);
        Assert.Equal(0, policy.Calls);
    }

    [Fact]
    public async Task Unknown_session_reads_defaults_and_asks_the_policy()
    {
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Allow);

        var outcome = await Gate(policy).ConsultAsync(Call(Function, $"s-{Guid.NewGuid():N}"), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Allow, outcome.Kind);
        Assert.Equal(1, policy.Calls);
    }

    [Fact]
    public async Task Policy_deny_returns_permissions_envelope_with_constraint_and_redacted_args()
    {
        var verdict = new PermissionVerdict
        {
            Decision = PermissionVerdict.Deny,
            RuleId = "no-etc",
            RuleAction = "deny",
            MatchedConstraint = new MatchedConstraint { Field = "path", Operator = "matches", Value = WireJson.Parse("\"^/etc/\"") },
        };
        var sessionId = await SessionWith(ApprovalModes.Manual, "none");

        var outcome = await Gate(StubPermissionPolicy.Returning(verdict))
            .ConsultAsync(Call("shell::fs::write", sessionId, """, "path": "/etc/passwd", "api_token": "sk-123" """), CancellationToken.None);

        var details = Details(outcome);
        Assert.Equal(1, details.GetProperty("schema_version").GetInt32());
        Assert.Equal("denied", details.GetProperty("status").GetString());
        Assert.Equal("permissions", details.GetProperty("denied_by").GetString());
        Assert.Equal("shell::fs::write", details.GetProperty("function_id").GetString());
        Assert.Equal("no-etc", details.GetProperty("rule_id").GetString());
        Assert.Equal("path", details.GetProperty("matched_constraint").GetProperty("field").GetString());
        Assert.Equal("<redacted>", details.GetProperty("args_excerpt").GetProperty("api_token").GetString());
        Assert.Equal(sessionId, details.GetProperty("args_excerpt").GetProperty("session_id").GetString());
        Assert.Equal(
            "Permission denied: shell::fs::write matched rule no-etc on path matches \"^/etc/\". Try different arguments or use a different function.",
            outcome.Denial!.Content[0].Text);
        Assert.False(outcome.Denial.Terminate);
        Assert.True(outcome.Denial.IsErrorResult);
    }

    [Fact]
    public async Task Policy_timeout_denies_with_gate_unavailable()
    {
        var outcome = await Gate(StubPermissionPolicy.Hanging(), timeout: TimeSpan.FromMilliseconds(200))
            .ConsultAsync(Call(Function, null), CancellationToken.None);

        var details = Details(outcome);
        Assert.Equal("gate_unavailable", details.GetProperty("denied_by").GetString());
        Assert.Equal("policy unreachable: timeout", details.GetProperty("reason").GetString());
        Assert.Equal("policy unreachable: timeout", outcome.Denial!.Content[0].Text);
        Assert.False(details.TryGetProperty("rule_id", out _));
    }

    [Fact]
    public async Task Policy_that_ignores_cancellation_still_times_out()
    {
        var started = DateTime.UtcNow;

        var outcome = await Gate(StubPermissionPolicy.IgnoringCancellation(), timeout: TimeSpan.FromMilliseconds(200))
            .ConsultAsync(Call(Function, null), CancellationToken.None);

        Assert.Equal("policy unreachable: timeout", Details(outcome).GetProperty("reason").GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Policy_exception_denies_with_gate_unavailable()
    {
        var outcome = await Gate(StubPermissionPolicy.Throwing(new InvalidOperationException("boom")))
            .ConsultAsync(Call(Function, null), CancellationToken.None);

        Assert.Equal("policy unreachable: boom", Details(outcome).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Policy_that_throws_synchronously_denies_with_gate_unavailable()
    {
        var policy = new StubPermissionPolicy((_, _, _) => throw new PolicyUnavailableException("no permissions file configured"));

        var outcome = await Gate(policy).ConsultAsync(Call(Function, null), CancellationToken.None);

        Assert.Equal("policy unreachable: no permissions file configured", Details(outcome).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Unknown_policy_decision_denies_with_gate_unavailable()
    {
        var outcome = await Gate(StubPermissionPolicy.Returning("maybe")).ConsultAsync(Call(Function, null), CancellationToken.None);

        Assert.Equal("gate_unavailable", Details(outcome).GetProperty("denied_by").GetString());
    }

    [Fact]
    public async Task Settings_read_failure_that_lasts_denies_with_gate_unavailable_after_its_retries()
    {
        var (grains, probe) = CountingGrainFactory.Create();
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Allow);

        var outcome = await Gate(policy, grains, settingsReadAttempts: 3).ConsultAsync(Call(Function, "s-1"), CancellationToken.None);

        var reason = Details(outcome).GetProperty("reason").GetString();
        Assert.Equal("policy unreachable: approval settings unavailable: silo unreachable (3 reads)", reason);
        Assert.Equal(3, probe.Calls);
        Assert.Equal(0, policy.Calls);
    }

    [Fact]
    public async Task Settings_read_that_fails_briefly_is_read_again_and_the_settings_decide()
    {
        var sessionId = await SessionWith(ApprovalModes.Full, "none");
        var (grains, probe) = FlakyGrainFactory.Over(fixture.Client, failFirst: 2);
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Deny);

        var outcome = await Gate(policy, grains).ConsultAsync(Call(Function, sessionId), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Allow, outcome.Kind);  // mode full, read on the third try; the policy would deny
        Assert.Equal(4, probe.Calls);  // three settings reads, then one of the deployment's gate rules
        Assert.Equal(0, policy.Calls);
    }

    [Fact]
    public async Task Settings_read_retries_stop_at_their_budget_before_their_attempts()
    {
        var (grains, probe) = CountingGrainFactory.Create();

        // Backoff 10, 20, 40, 80, 160 ms: after the fifth read, its wait would end past 300 ms: five reads of the twenty at most.
        var outcome = await Gate(StubPermissionPolicy.Returning(PermissionVerdict.Allow), grains, settingsReadAttempts: 20, settingsReadBudget: TimeSpan.FromMilliseconds(300))
            .ConsultAsync(Call(Function, "s-1"), CancellationToken.None);

        Assert.Equal("gate_unavailable", Details(outcome).GetProperty("denied_by").GetString());
        Assert.InRange(probe.Calls, 1, 5);
    }

    [Fact]
    public async Task Missing_permissions_file_fails_closed_end_to_end()
    {
        var policy = new YamlPermissionPolicy(
            new TestOptionsMonitor<PermissionPolicyOptions>(new() { Path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml") }),
            NullLogger<YamlPermissionPolicy>.Instance);

        var outcome = await Gate(policy).ConsultAsync(Call(Function, await SessionWith(ApprovalModes.Auto, "none")), CancellationToken.None);

        var details = Details(outcome);
        Assert.Equal("gate_unavailable", details.GetProperty("denied_by").GetString());
        Assert.StartsWith("policy unreachable: permissions file not found: missing-", details.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_denial()
    {
        using var cts = new CancellationTokenSource();
        var gate = Gate(StubPermissionPolicy.Hanging());

        var consult = gate.ConsultAsync(Call(Function, null), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consult);
    }
}
