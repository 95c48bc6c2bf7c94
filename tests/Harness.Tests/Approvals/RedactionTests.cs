using System.Text.Json;
using Harness.Approvals;
using Harness.Serialization;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Argument excerpts in denial envelopes (<c>approval-gate/redact.test.ts</c>).</summary>
public sealed class RedactionTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("Token")]
    [InlineData("api_key")]
    [InlineData("apikey")]
    [InlineData("ApiKey")]
    [InlineData("secret")]
    [InlineData("auth")]
    [InlineData("Authorization")]
    [InlineData("access_key")]
    [InlineData("access_token")]
    [InlineData("refresh_token")]
    [InlineData("private_key")]
    [InlineData("github_token")]
    [InlineData("DB_PASSWORD")]
    [InlineData("x_api_key")]
    [InlineData("basic_auth")]
    [InlineData("_token")]
    public void Secret_keys_are_redacted(string key)
    {
        var redacted = Redaction.Redact(WireJson.Parse($$"""{"{{key}}": "hunter2", "other": "kept"}"""));

        Assert.Equal("<redacted>", redacted.GetProperty(key).GetString());
        Assert.Equal("kept", redacted.GetProperty("other").GetString());
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("token_count")]
    [InlineData("mytoken")]
    [InlineData("oauth")]
    [InlineData("author")]
    [InlineData("secretary")]
    [InlineData("passwords_checked")]
    [InlineData("path")]
    public void Lookalike_keys_are_kept(string key)
    {
        var redacted = Redaction.Redact(WireJson.Parse($$"""{"{{key}}": "value"}"""));

        Assert.Equal("value", redacted.GetProperty(key).GetString());
    }

    [Fact]
    public void Secret_key_hides_non_string_values_too()
    {
        var redacted = Redaction.Redact(WireJson.Parse("""{"auth": {"user": "a", "pass": "b"}, "token": 12345, "secret": null}"""));

        Assert.Equal("<redacted>", redacted.GetProperty("auth").GetString());
        Assert.Equal("<redacted>", redacted.GetProperty("token").GetString());
        Assert.Equal("<redacted>", redacted.GetProperty("secret").GetString());
    }

    [Fact]
    public void Nested_objects_and_arrays_are_redacted()
    {
        var redacted = Redaction.Redact(WireJson.Parse("""{"env": [{"name": "x", "api_key": "k"}], "headers": {"Authorization": "Bearer t"}}"""));

        Assert.Equal("<redacted>", redacted.GetProperty("env")[0].GetProperty("api_key").GetString());
        Assert.Equal("x", redacted.GetProperty("env")[0].GetProperty("name").GetString());
        Assert.Equal("<redacted>", redacted.GetProperty("headers").GetProperty("Authorization").GetString());
    }

    [Fact]
    public void Scalars_pass_through()
    {
        const string json = """{"n": 1.5, "b": true, "z": null, "a": [1, false]}""";

        Assert.True(JsonElement.DeepEquals(WireJson.Parse(json), Redaction.Redact(WireJson.Parse(json))));
    }

    [Fact]
    public void String_of_256_code_points_is_kept()
    {
        var text = new string('a', 256);

        Assert.Equal(text, Redaction.Redact(WireJson.ToElement(text)).GetString());
    }

    [Fact]
    public void Long_string_is_clipped_to_256_code_points_with_ellipsis()
    {
        var redacted = Redaction.Redact(WireJson.ToElement(new { command = new string('a', 1000) }));

        Assert.Equal(new string('a', 256) + "…", redacted.GetProperty("command").GetString());
    }

    [Fact]
    public void Clipping_counts_code_points_not_utf16_units()
    {
        var within = string.Concat(Enumerable.Repeat("😀", 256));
        var beyond = string.Concat(Enumerable.Repeat("😀", 300));

        Assert.Equal(within, Redaction.Clip(within));
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 256)) + "…", Redaction.Clip(beyond));
    }

    [Fact]
    public void Deep_nesting_collapses_to_max_depth_sentinel()
    {
        const int levels = 80;
        var json = string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "\"leaf\"" + new string('}', levels);
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 200 });

        var node = Redaction.Redact(doc.RootElement);
        for (var depth = 1; depth < Redaction.MaxDepth; depth++)
        {
            node = node.GetProperty("a");
            Assert.Equal(JsonValueKind.Object, node.ValueKind);
        }

        Assert.Equal("<max-depth>", node.GetProperty("a").GetString());
    }

    [Fact]
    public void String_at_the_depth_cap_is_kept()
    {
        // Only containers collapse: a string 64 levels down is still shown (clipped).
        var json = string.Concat(Enumerable.Repeat("[", 64)) + "\"leaf\"" + new string(']', 64);
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 200 });

        var node = Redaction.Redact(doc.RootElement);
        for (var depth = 0; depth < 64; depth++)
        {
            node = node[0];
        }

        Assert.Equal("leaf", node.GetString());
    }
}
