using Harness.Silo.Auth;
using Microsoft.Extensions.Configuration;

namespace Harness.Tests.Silo.Auth;

/// <summary>The pieces deployers configure: the hash format, the function-to-scope table, what counts as exposed.</summary>
public sealed class ApiKeyConfigurationTests
{
    [Fact]
    public void The_hash_is_sha256_hex_of_the_key_like_sha256sum_prints()
    {
        // printf %s abc | sha256sum
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.Compute("abc"));
        Assert.NotNull(ApiKeyHash.Parse("SHA256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
        Assert.Null(ApiKeyHash.Parse("abc"));
        Assert.Null(ApiKeyHash.Parse("sha256:zz"));
    }

    [Fact]
    public void Hash_key_prints_a_new_key_and_its_hash_or_the_hash_of_the_key_on_stdin()
    {
        var generated = new StringWriter();
        var piped = new StringWriter();

        HashKeyCommand.Run(new StringReader(""), generated, inputRedirected: false);
        HashKeyCommand.Run(new StringReader("abc\n"), piped, inputRedirected: true);

        var lines = generated.ToString().Split('\n');
        var key = lines[0]["key:  ".Length..].Trim();
        Assert.StartsWith("hk_", key);
        Assert.Equal($"hash: {ApiKeyHash.Compute(key)}", lines[1].Trim());
        Assert.Equal(ApiKeyHash.Compute("abc"), piped.ToString().Trim());
    }

    [Theory]
    [InlineData("run::start", ApiScopes.Sessions)]
    [InlineData("turn::get_state", ApiScopes.Sessions)]
    [InlineData("harness::trigger", ApiScopes.Sessions)]
    [InlineData("session-tree::messages", ApiScopes.Sessions)]
    [InlineData("models::list", ApiScopes.Sessions)]
    [InlineData("harness::provider::list", ApiScopes.Sessions)]
    [InlineData("approval::resolve", ApiScopes.Approvals)]
    [InlineData("approval::set_mode", ApiScopes.Approvals)]
    [InlineData("harness::provider::configure", ApiScopes.Admin)]
    [InlineData("harness::provider::register", ApiScopes.Admin)]
    [InlineData("models::refresh", ApiScopes.Admin)]
    [InlineData("budget::configure", ApiScopes.Admin)]
    [InlineData("harness::trigger_other", ApiScopes.Admin)]
    [InlineData("something::new", ApiScopes.Admin)]
    public void Function_ids_map_to_scopes_by_the_one_table(string functionId, string scope) =>
        Assert.Equal(scope, FunctionScopes.For(functionId));

    [Theory]
    [InlineData("http://127.0.0.1:8711", false)]
    [InlineData("http://localhost:8711;http://[::1]:8712", false)]
    [InlineData("http://0.0.0.0:8711", true)]
    [InlineData("http://*:8711", true)]
    [InlineData("http://+:8711", true)]
    [InlineData("http://127.0.0.1:8711;http://10.1.2.3:8711", true)]
    [InlineData("http://silo.example:8711", true)]
    public void Urls_beyond_loopback_are_recognised(string urls, bool exposed)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Urls"] = urls }).Build();

        Assert.Equal(exposed, ApiExposure.BeyondLoopback(configuration).Count > 0);
    }

    [Fact]
    public void Http_ports_and_kestrel_endpoints_count_as_listening_addresses()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:8711",
            ["HTTP_PORTS"] = "8080",
            ["Kestrel:Endpoints:Api:Url"] = "http://0.0.0.0:9000",
        }).Build();

        Assert.Equal(["http://0.0.0.0:9000", "http://*:8080"], ApiExposure.BeyondLoopback(configuration));
    }

    [Fact]
    public void Bad_key_settings_are_named()
    {
        var options = new HarnessAuthOptions
        {
            Keys = { ["a"] = new ApiKeyEntry { Hash = "plain-key", Scopes = ["sessions"] }, ["b"] = new ApiKeyEntry { Hash = ApiKeyHash.Compute("k"), Scopes = ["root"] }, ["c"] = new ApiKeyEntry { Hash = ApiKeyHash.Compute("k2") } },
        };

        var problems = options.Problems();

        Assert.Contains(problems, p => p.StartsWith("Harness:Auth:Keys:a:Hash must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Harness:Auth:Keys:b:Scopes has unknown scope 'root'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Harness:Auth:Keys:c:Scopes is empty", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
    }
}
