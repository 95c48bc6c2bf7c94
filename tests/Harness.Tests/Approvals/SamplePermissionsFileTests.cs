using Harness.Approvals;
using Harness.Serialization;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary><c>deploy/iii-permissions.sample.yaml</c> parses and carries the shipped kernel rules (spec §3.2).</summary>
public sealed class SamplePermissionsFileTests
{
    private static readonly Lazy<PermissionRules> Rules = new(() => PermissionRuleParser.Parse(File.ReadAllText(SamplePath())));

    private static string SamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "iii-permissions.sample.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("deploy/iii-permissions.sample.yaml not found above the test output directory");
    }

    [Theory]
    [InlineData("approval::resolve")]
    [InlineData("policy::check_permissions")]
    [InlineData("hook-fanout::publish_collect")]
    [InlineData("state::set")]
    [InlineData("state::update")]
    [InlineData("state::delete")]
    [InlineData("stream::set")]
    [InlineData("iii::durable::publish")]
    [InlineData("harness::provider::resolve")]
    [InlineData("harness::provider::register")]
    [InlineData("configuration::get")]
    [InlineData("configuration::set")]
    [InlineData("configuration::register")]
    [InlineData("oauth::github::login")]
    [InlineData("run::start")]
    [InlineData("router::stream_assistant")]
    [InlineData("harness::call")]
    public void Kernel_functions_are_denied(string functionId) =>
        Assert.Equal(PermissionVerdict.Deny, Rules.Value.Evaluate(functionId, WireJson.Empty).Decision);

    [Theory]
    [InlineData("state::get")]
    [InlineData("state::list")]
    [InlineData("models::list")]
    [InlineData("models::get")]
    [InlineData("models::supports")]
    [InlineData("oauth::github::status")]
    [InlineData("directory::skills::index")]
    [InlineData("directory::skills::get")]
    public void Read_surfaces_are_allowed(string functionId) =>
        Assert.Equal(PermissionVerdict.Allow, Rules.Value.Evaluate(functionId, WireJson.Empty).Decision);

    [Theory]
    [InlineData("shell::fs::write", """{"path": "/srv/scratch/notes.txt"}""", "allow")]
    [InlineData("shell::fs::write", """{"path": "/srv/scratch/notes.txt\n"}""", "needs_approval")]
    [InlineData("shell::fs::write", """{"path": "/srv/scratch/a/b"}""", "needs_approval")]
    [InlineData("shell::fs::write", """{"path": "/srv/scratch/.."}""", "needs_approval")]
    [InlineData("shell::fs::write", """{"path": "/srv/scratch/.env"}""", "needs_approval")]
    [InlineData("shell::fs::chmod", """{"mode": 511}""", "deny")]
    [InlineData("shell::fs::chmod", """{"mode": "511"}""", "needs_approval")]
    [InlineData("shell::exec", """{"command": ["git", "status"]}""", "allow")]
    [InlineData("shell::exec", """{"command": ["rm", "-rf", "/"]}""", "needs_approval")]
    public void Example_rules_behave_as_documented(string functionId, string args, string expected) =>
        Assert.Equal(expected, Rules.Value.Evaluate(functionId, WireJson.Parse(args)).Decision);
}
