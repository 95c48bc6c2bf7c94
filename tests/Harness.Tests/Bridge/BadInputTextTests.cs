using System.Text.Json.Nodes;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge.StandIn;
using Harness.Turns;

namespace Harness.Tests.Bridge;

/// <summary>Bad input is answered in words a caller in any language can act on: the JSON kind expected, never a .NET type.</summary>
public sealed class BadInputTextTests
{
    private static BridgeFunctionException ReadFails<T>(string json) where T : class =>
        Assert.Throws<BridgeFunctionException>(() => BridgePayload.Read<T>(JsonDocument.Parse(json).RootElement));

    [Theory]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":5}""", "messages", "must be an array")]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":{"role":"user"}}""", "messages", "must be an array")]
    [InlineData("""{"session_id":7,"provider":"p","model":"m","messages":[]}""", "session_id", "must be a string")]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":[],"max_turns":"ten"}""", "max_turns", "must be an integer")]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":["hi"]}""", "messages[0]", "must be an object")]
    public void A_type_error_names_the_field_and_the_json_kind_expected(string json, string field, string reason)
    {
        var error = ReadFails<RunStartRequest>(json);

        Assert.Equal(IiiErrorCodes.InvalidPayload, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Equal($"{field}: {reason}", error.Detail);
    }

    [Fact]
    public void A_missing_required_member_is_named_itself()
    {
        var error = ReadFails<TurnStateView>("""{"state":"stopped"}""");

        Assert.Equal("session_id", error.Field);
        Assert.Equal("session_id: is required", error.Detail);
    }

    [Theory]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":5}""")]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":[{"role":"user","content":7}]}""")]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":[],"max_turns":1.5}""")]
    [InlineData("""{"session_id":"s","provider":"p","model":"m","messages":[],"max_turns":true}""")]
    public void No_error_text_shows_a_dotnet_type_name(string json)
    {
        var error = ReadFails<RunStartRequest>(json);

        Assert.DoesNotMatch(@"System\.|Harness\.|`1|Collections", error.Detail);
    }

    [Theory]
    [InlineData("System.Collections.Generic.IReadOnlyList`1[Harness.Messages.AgentMessage]", "an array")]
    [InlineData("System.Nullable`1[System.Int32]", "an integer")]
    [InlineData("System.Nullable`1[System.Double]", "a number")]
    [InlineData("System.String", "a string")]
    [InlineData("System.Boolean", "a boolean")]
    [InlineData("System.Collections.Generic.Dictionary`2[System.String,System.String]", "an object")]
    [InlineData("Harness.Turns.RunStartRequest", "an object")]
    public void Dotnet_types_are_described_as_json_kinds(string type, string kind) =>
        Assert.Equal(kind, JsonErrorText.Describe(type));
}

/// <summary>The approval settings calls answer every bad input in their one result shape, type errors included.</summary>
public sealed class SettingsBadInputTests(HarnessFunctionsFixture fixture) : IClassFixture<HarnessFunctionsFixture>
{
    [Theory]
    [InlineData("approval::clear_settings", """{"session_id":5}""")]
    [InlineData("approval::clear_settings", """{}""")]
    [InlineData("approval::clear_settings", """{"session_id":""}""")]
    [InlineData("approval::set_mode", """{"session_id":5,"mode":"auto"}""")]
    [InlineData("approval::set_mode", """{"mode":"auto"}""")]
    public async Task Bad_input_is_a_result_naming_session_id_not_an_error(string functionId, string payload)
    {
        var reply = await fixture.H.Engine.InvokeAsync(functionId, JsonNode.Parse(payload), TimeSpan.FromSeconds(15));

        Assert.False(reply!["ok"]!.GetValue<bool>());
        Assert.Equal("invalid_payload", reply["error"]!.GetValue<string>());
        Assert.Equal("session_id", reply["field"]!.GetValue<string>());
        Assert.DoesNotContain("System.", reply["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

/// <summary>A run for a provider nothing serves is refused naming the field, and nothing is stored for the session.</summary>
public sealed class UnknownProviderTests(HarnessFunctionsFixture fixture) : IClassFixture<HarnessFunctionsFixture>
{
    private static JsonNode Start(string sid, string provider, string model) => JsonNode.Parse(
        $$"""{"session_id":"{{sid}}","provider":"{{provider}}","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""")!;

    [Fact]
    public async Task Run_start_with_an_unknown_provider_is_invalid_payload_and_stores_nothing()
    {
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();
        var engine = fixture.H.Engine;

        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => engine.InvokeAsync("run::start", Start(sid, "nope", "m1"), TimeSpan.FromSeconds(15)));

        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith("provider: 'nope' is not registered", error.Detail, StringComparison.Ordinal);
        Assert.Contains("scripted", error.Detail, StringComparison.Ordinal);   // the registered ones are named
        Assert.Null(await engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = sid }, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Harness_trigger_names_the_field_inside_its_payload()
    {
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();
        var request = new JsonObject { ["session_id"] = sid, ["message_id"] = "m1", ["payload"] = Start(sid, "nope", "m1") };

        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => fixture.H.Engine.InvokeAsync("harness::trigger", request, TimeSpan.FromSeconds(15)));

        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith("payload.provider: ", error.Detail, StringComparison.Ordinal);
    }
}
