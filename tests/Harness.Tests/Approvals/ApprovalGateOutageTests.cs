using Harness.Approvals;
using Harness.Messages;
using Harness.Serialization;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Tests.Approvals;

/// <summary>
/// The gate's settings read across a real outage: a silo process on a PostgreSQL server of the test's own, which is
/// stopped, so a settings grain not yet active cannot load its row. The gate (in the test, calling the silo through a
/// cluster client) reads again with backoff: an outage that ends within its retries decides normally, one that lasts
/// still fails closed.
/// </summary>
public sealed class ApprovalGateOutageTests
{
    [Fact]
    public async Task Settings_read_across_a_brief_PostgreSQL_outage_decides_and_across_a_lasting_one_fails_closed()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        using var workspace = new TestWorkspace();
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"gate-{id}", $"gate-{id}", pg.ConnectionString, workspace, Path.Combine(workspace.Root, "demo"));
        await using var silo = SiloProcess.Start(settings);
        await using var client = await ClusterClient.ConnectAsync(settings.ClusterId, settings.ServiceId, settings.ConnectionString);
        await client.Client.GetGrain<IApprovalSettingsGrain>("s-warm").GetSettings();  // the silo serves settings reads
        var policy = StubPermissionPolicy.Returning(PermissionVerdict.Allow);  // asked only once the settings were read

        await pg.StopImmediateAsync();
        var (lastingGrains, lasting) = FlakyGrainFactory.Over(client.Client);
        var denied = await Gate(lastingGrains, policy, attempts: 3).ConsultAsync(Call($"s-lasting-{id}"), CancellationToken.None);

        Assert.Equal(GateOutcomeKind.Deny, denied.Kind);
        var details = denied.Denial!.Details!.Value;
        Assert.Equal("gate_unavailable", details.GetProperty("denied_by").GetString());
        Assert.EndsWith("(3 reads)", details.GetProperty("reason").GetString());
        Assert.Equal(3, lasting.Calls);
        Assert.Equal(0, policy.Calls);

        // PostgreSQL comes back once the first read of this check has failed: a later read loads the row.
        var (briefGrains, brief) = FlakyGrainFactory.Over(client.Client);
        var consult = Gate(briefGrains, policy, attempts: 12).ConsultAsync(Call($"s-brief-{id}"), CancellationToken.None);
        for (var tries = 0; tries < 600 && brief.Calls < 2 && !consult.IsCompleted; tries++)
        {
            await Task.Delay(50);
        }
        Assert.False(consult.IsCompleted, "the check ended before PostgreSQL came back");
        await pg.StartAgainAsync();
        var outcome = await consult;

        Assert.True(outcome.Kind == GateOutcomeKind.Allow, $"{outcome.Kind}: {outcome.Denial?.Details}\n{silo.Output}");
        Assert.InRange(brief.Calls, 2, 12);
        Assert.Equal(1, policy.Calls);
    }

    /// <summary>A gate that waits up to 2 s per read and doubles a 250 ms backoff, within a budget that outlasts a restart.</summary>
    private static ApprovalGate Gate(Orleans.IGrainFactory grains, IPermissionPolicy policy, int attempts) =>
        new(grains,
            policy,
            new TestOptionsMonitor<PermissionPolicyOptions>(new() { CheckTimeout = TimeSpan.FromSeconds(2) }),
            new TestOptionsMonitor<ApprovalGateOptions>(new()
            {
                SettingsReadAttempts = attempts, SettingsReadBackoff = TimeSpan.FromMilliseconds(250), SettingsReadBudget = TimeSpan.FromMinutes(3),
            }),
            NullLogger<ApprovalGate>.Instance);

    private static FunctionCall Call(string sessionId) => new()
    {
        Id = "fc-1",
        FunctionId = "shell::exec",
        Arguments = WireJson.Parse($$"""{"command":"ls","session_id":"{{sessionId}}","function_call_id":"fc-1","function_id":"shell::exec"}"""),
    };
}
