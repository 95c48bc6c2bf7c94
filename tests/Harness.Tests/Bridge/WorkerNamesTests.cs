using Harness.Bridge.Client;
using Harness.Bridge.Hosting;
using Microsoft.Extensions.Configuration;

namespace Harness.Tests.Bridge;

/// <summary>The one function id → worker name table, as the TypeScript harness splits its package into workers.</summary>
public sealed class WorkerNamesTests
{
    [Theory]
    [InlineData("harness::trigger", "harness")]
    [InlineData("harness::provider::register", "harness")]
    [InlineData("harness::fs::read_inline", "harness")]
    [InlineData("ui::subscribe", "harness")]
    [InlineData("ui::models::unsubscribe", "harness")]
    [InlineData("policy::check_permissions", "harness")]
    [InlineData("run::start", "turn-orchestrator")]
    [InlineData("run::abort", "turn-orchestrator")]
    [InlineData("turn::get_state", "turn-orchestrator")]
    [InlineData("approval::resolve", "approval-gate")]
    [InlineData("approval::clear_settings", "approval-gate")]
    [InlineData("session-tree::export_html", "session")]
    [InlineData("session-inbox::peek", "session")]
    [InlineData("context-compaction::compact_session", "context-compaction")]
    [InlineData("models::supports", "models-catalog")]
    [InlineData("budget::alert_add", "llm-budget")]
    [InlineData("hook-fanout::publish_collect", "hook-fanout")]
    [InlineData("provider::anthropic::refresh_models", "provider-anthropic")]
    [InlineData("provider::my-local::stream", "provider-my-local")]
    [InlineData("provider::", "harness")]
    [InlineData("demo::echo", "harness")]
    [InlineData("session::list", "harness")]
    public void Each_function_id_lands_on_the_worker_that_owns_it_in_the_TypeScript_package(string functionId, string worker) =>
        Assert.Equal(worker, new IiiWorkerNames(new IiiBridgeOptions()).For(functionId));

    [Fact]
    public void Names_come_from_configuration_per_role_and_the_harness_name_is_the_fallback()
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Harness:Bridge:WorkerName"] = "my-harness",
            ["Harness:Bridge:WorkerNames:turn-orchestrator"] = "turns",
            ["Harness:Bridge:WorkerNames:provider"] = "llm-{name}",
        }).Build().GetSection(IiiBridgeOptions.SectionName).Get<IiiBridgeOptions>()!;
        var names = new IiiWorkerNames(options);

        Assert.Equal("turns", names.For("run::start"));
        Assert.Equal("llm-openai", names.For("provider::openai::stream"));
        Assert.Equal("my-harness", names.For("ui::subscribe"));
        Assert.Equal("my-harness", names.For("anything::else"));
        Assert.Equal("approval-gate", names.For("approval::resolve"));
    }

    [Theory]
    [InlineData("Harness:Bridge:WorkerNames:harness", "x", "set through Harness:Bridge:WorkerName")]
    [InlineData("Harness:Bridge:WorkerNames:turn-orchestrator-typo", "x", "is not a worker role")]
    [InlineData("Harness:Bridge:WorkerNames:provider", "providers", "must contain {name}")]
    public void A_worker_name_setting_that_cannot_work_is_refused_at_start(string key, string value, string message)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build().GetSection(IiiBridgeOptions.SectionName).Get<IiiBridgeOptions>()!;
        var result = new IiiBridgeOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }
}
