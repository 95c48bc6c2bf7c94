using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Bridge.Functions;
using Xunit;
using Harness.Bridge.Protocol;

namespace Harness.Tests.Bridge;

/// <summary>
/// Golden frames: what the engine's own serde tests and the Go SDK's golden cases pin (iii-protocol §7.3), restated as
/// our cases, plus the edge cases of §7.5 and the appendix. Comparison is structural (key order is free) except where
/// noted.
/// </summary>
public sealed class ProtocolFrameTests
{
    private static readonly Guid FixedId = Guid.Parse("11111111-1111-1111-1111-111111111111");

    private static void AssertWire(IiiMessage message, string expected)
    {
        var actual = JsonNode.Parse(IiiMessageSerializer.SerializeToString(message));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n     got {actual!.ToJsonString()}");
    }

    private static T ParseAs<T>(string json) where T : IiiMessage => Assert.IsType<T>(IiiMessageSerializer.Parse(json));

    private static bool Rejects(string json, out string? error) =>
        !IiiMessageSerializer.TryParse(Encoding.UTF8.GetBytes(json), out _, out error);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // ---- what we write ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_fire_and_forget_call_carries_the_void_action_and_no_invocation_id() =>
        AssertWire(
            new InvokeFunctionMessage { FunctionId = "audit.log", Data = Json("""{"event":"login"}"""), Action = TriggerAction.Void },
            """{"type":"invokefunction","function_id":"audit.log","data":{"event":"login"},"action":{"type":"void"}}""");

    [Fact]
    public void An_enqueued_call_names_its_queue() =>
        AssertWire(
            new InvokeFunctionMessage { FunctionId = "payment.process", Data = Json("""{"amount":100}"""), Action = TriggerAction.Enqueue("payment") },
            """{"type":"invokefunction","function_id":"payment.process","data":{"amount":100},"action":{"type":"enqueue","queue":"payment"}}""");

    [Fact]
    public void A_plain_call_leaves_out_action_trace_context_and_metadata() =>
        AssertWire(
            new InvokeFunctionMessage { FunctionId = "test.fn", Data = Json("{}") },
            """{"type":"invokefunction","function_id":"test.fn","data":{}}""");

    [Fact]
    public void A_synchronous_call_carries_its_invocation_id_as_a_uuid_string() =>
        AssertWire(
            new InvokeFunctionMessage { InvocationId = FixedId, FunctionId = "sync.call", Data = Json("{}") },
            """{"type":"invokefunction","invocation_id":"11111111-1111-1111-1111-111111111111","function_id":"sync.call","data":{}}""");

    [Fact]
    public void Call_metadata_travels_beside_the_payload_not_inside_it() =>
        AssertWire(
            new InvokeFunctionMessage { FunctionId = "audit.log", Data = Json("""{"event":"login"}"""), Metadata = Json("""{"tenant":"acme"}""") },
            """{"type":"invokefunction","function_id":"audit.log","data":{"event":"login"},"metadata":{"tenant":"acme"}}""");

    [Fact]
    public void A_call_without_payload_still_sends_data_as_null() =>
        AssertWire(
            new InvokeFunctionMessage { FunctionId = "x::y", Data = null },
            """{"type":"invokefunction","function_id":"x::y","data":null}""");

    [Fact]
    public void A_trigger_binding_names_its_type_in_trigger_type() =>
        AssertWire(
            new RegisterTriggerMessage
            {
                Id = "my-trigger-1",
                TriggerType = "http",
                FunctionId = "my::handler",
                Config = Json("""{"api_path":"/webhooks/data","http_method":"POST"}"""),
            },
            """{"type":"registertrigger","id":"my-trigger-1","trigger_type":"http","function_id":"my::handler","config":{"api_path":"/webhooks/data","http_method":"POST"}}""");

    [Fact]
    public void A_trigger_binding_always_sends_config() =>
        AssertWire(
            new RegisterTriggerMessage { Id = "t", TriggerType = "cron", FunctionId = "f", Config = null },
            """{"type":"registertrigger","id":"t","trigger_type":"cron","function_id":"f","config":null}""");

    [Fact]
    public void A_result_is_addressed_by_its_invocation_id() =>
        AssertWire(
            new InvocationResultMessage { InvocationId = FixedId, FunctionId = "sync.call", Result = Json("""{"ok":true}""") },
            """{"type":"invocationresult","invocation_id":"11111111-1111-1111-1111-111111111111","function_id":"sync.call","result":{"ok":true}}""");

    [Fact]
    public void A_failed_result_carries_an_error_body_object() =>
        AssertWire(
            new InvocationResultMessage
            {
                InvocationId = FixedId,
                FunctionId = "grain::order::place",
                Error = new ErrorBody { Code = "invocation_failed", Message = "Sku X1 unknown" },
            },
            """{"type":"invocationresult","invocation_id":"11111111-1111-1111-1111-111111111111","function_id":"grain::order::place","error":{"code":"invocation_failed","message":"Sku X1 unknown"}}""");

    [Fact]
    public void A_function_registration_without_schemas_writes_them_as_null_like_the_engine() =>
        AssertWire(
            new RegisterFunctionMessage { Id = "hello::greet" },
            """{"type":"registerfunction","id":"hello::greet","request_format":null,"response_format":null}""");

    [Fact]
    public void A_trigger_type_registration_always_sends_a_description() =>
        AssertWire(
            new RegisterTriggerTypeMessage { Id = "orleans::grain-event", Description = "" },
            """{"type":"registertriggertype","id":"orleans::grain-event","description":""}""");

    [Fact]
    public void Ping_and_pong_are_bare_type_tags()
    {
        AssertWire(new PingMessage(), """{"type":"ping"}""");
        AssertWire(new PongMessage(), """{"type":"pong"}""");
    }

    [Fact]
    public void Reattach_is_written_exactly_like_the_engine_writes_it()
    {
        // The engine's test compares bytes: tag first, then the fields in declaration order.
        const string raw = """{"type":"reattach","previous_worker_id":"abc-123","reattach_token":"tok-1"}""";
        var parsed = ParseAs<ReattachMessage>(raw);
        Assert.Equal("abc-123", parsed.PreviousWorkerId);
        Assert.Equal("tok-1", parsed.ReattachToken);
        Assert.Equal(raw, IiiMessageSerializer.SerializeToString(parsed));
    }

    [Fact]
    public void The_type_tag_is_always_the_first_member()
    {
        foreach (var message in new IiiMessage[]
        {
            new InvokeFunctionMessage { FunctionId = "a", Data = null },
            new RegisterFunctionMessage { Id = "a" },
            new WorkerRegisteredMessage { WorkerId = "w" },
        })
        {
            Assert.StartsWith("""{"type":""", IiiMessageSerializer.SerializeToString(message), StringComparison.Ordinal);
        }
    }

    // ---- what we read -----------------------------------------------------------------------------------------------

    [Fact]
    public void A_null_invocation_id_reads_as_fire_and_forget_without_metadata()
    {
        var invoke = ParseAs<InvokeFunctionMessage>("""{"type":"invokefunction","invocation_id":null,"function_id":"sync.call","data":{}}""");
        Assert.Null(invoke.InvocationId);
        Assert.Null(invoke.Action);
        Assert.Null(invoke.Metadata);
    }

    [Theory]
    [InlineData("""{"type":"void"}""", "void", null)]
    [InlineData("""{"type":"enqueue","queue":"payment"}""", "enqueue", "payment")]
    public void The_call_action_is_read_from_its_own_tag(string action, string type, string? queue)
    {
        var invoke = ParseAs<InvokeFunctionMessage>($$"""{"type":"invokefunction","invocation_id":null,"function_id":"f","data":{"amount":100},"action":{{action}}}""");
        Assert.Equal(type, invoke.Action!.Type);
        Assert.Equal(queue, invoke.Action.Queue);
    }

    [Fact]
    public void Metadata_survives_a_round_trip_and_leaves_the_payload_untouched()
    {
        var original = new InvokeFunctionMessage { FunctionId = "test.fn", Data = Json("""{"k":1}"""), Metadata = Json("""{"session_id":"s_1"}""") };
        var back = ParseAs<InvokeFunctionMessage>(IiiMessageSerializer.SerializeToString(original));
        Assert.Equal("""{"session_id":"s_1"}""", back.Metadata!.Value.GetRawText());
        Assert.Equal("""{"k":1}""", back.Data!.Value.GetRawText());
    }

    [Fact]
    public void The_callers_worker_id_in_a_payload_is_tolerated_and_can_be_read()
    {
        var invoke = ParseAs<InvokeFunctionMessage>(
            """{"type":"invokefunction","invocation_id":"11111111-1111-1111-1111-111111111111","function_id":"math::add","data":{"a":2,"b":3,"_caller_worker_id":"cda475f5"},"metadata":{"route":"orders"}}""");
        Assert.Equal(FixedId, invoke.InvocationId);
        Assert.Equal("cda475f5", BridgePayload.CallerWorkerId(invoke.Data!.Value));
    }

    [Theory]
    [InlineData("""{"type":"unregistertrigger","id":"abc"}""", null)]
    [InlineData("""{"type":"unregistertrigger","id":"abc","trigger_type":"http"}""", "http")]
    public void Unregistering_a_trigger_may_leave_out_its_type(string json, string? type)
    {
        var message = ParseAs<UnregisterTriggerMessage>(json);
        Assert.Equal("abc", message.Id);
        Assert.Equal(type, message.TriggerType);
    }

    [Fact]
    public void Older_engines_may_send_worker_registered_and_reattach_without_a_token()
    {
        Assert.Null(ParseAs<WorkerRegisteredMessage>("""{"type":"workerregistered","worker_id":"w-42"}""").ReattachToken);
        Assert.Null(ParseAs<ReattachMessage>("""{"type":"reattach","previous_worker_id":"abc-123"}""").ReattachToken);
    }

    [Fact]
    public void An_external_http_function_registration_keeps_its_invocation_target()
    {
        var message = ParseAs<RegisterFunctionMessage>("""
            {"type":"registerfunction","id":"external.my_lambda","description":"External Lambda function",
             "invocation":{"url":"https://example.com/lambda","timeout_ms":30000,"headers":{"x-custom-header":"value"},
                           "auth":{"type":"bearer","token_key":"LAMBDA_TOKEN"}}}
            """);
        Assert.Equal("External Lambda function", message.Description);
        Assert.Equal("LAMBDA_TOKEN", message.Invocation!.Value.GetProperty("auth").GetProperty("token_key").GetString());
    }

    [Fact]
    public void The_node_sdks_stray_message_type_key_is_ignored()
    {
        var message = ParseAs<RegisterTriggerMessage>(
            """{"type":"registertrigger","message_type":"registertrigger","id":"t1","trigger_type":"stream","function_id":"f","config":{"stream_name":"agent::events"}}""");
        Assert.Equal("t1", message.Id);
    }

    [Fact]
    public void Newer_engine_fields_and_the_rejection_message_are_understood()
    {
        var invoke = ParseAs<InvokeFunctionMessage>("""{"type":"invokefunction","invocation_id":null,"function_id":"state::get","data":{},"namespace":"orders"}""");
        Assert.Equal("orders", invoke.Namespace);
        var rejected = ParseAs<RegistrationRejectedMessage>(
            """{"type":"registrationrejected","code":"FUNCTION_NAMESPACE_CONFLICT","namespace":"default","function_id":"x::y","owner_worker_id":"abc"}""");
        Assert.Equal("x::y", rejected.FunctionId);
        Assert.Null(rejected.WorkerName);
    }

    [Fact]
    public void Every_known_message_type_round_trips()
    {
        IiiMessage[] all =
        [
            new RegisterFunctionMessage { Id = "f", Description = "d", RequestFormat = new JsonObject { ["type"] = "object" } },
            new UnregisterFunctionMessage { Id = "f" },
            new RegisterTriggerTypeMessage { Id = "t", Description = "d" },
            new RegisterTriggerMessage { Id = "i", TriggerType = "t", FunctionId = "f", Config = Json("{}") },
            new UnregisterTriggerMessage { Id = "i" },
            new TriggerRegistrationResultMessage { Id = "i", TriggerType = "t", FunctionId = "f" },
            new InvokeFunctionMessage { InvocationId = FixedId, FunctionId = "f", Data = Json("[1]") },
            new InvocationResultMessage { InvocationId = FixedId, FunctionId = "f", Result = Json("2") },
            new RegisterServiceMessage { Id = "s", Name = "S" },
            new WorkerRegisteredMessage { WorkerId = "w", ReattachToken = "k" },
            new ReattachMessage { PreviousWorkerId = "w", ReattachToken = "k" },
            new PingMessage(),
            new PongMessage(),
            new RegistrationRejectedMessage { Code = "c", Namespace = "n", OwnerWorkerId = "o" },
        ];
        Assert.Equal(14, IiiMessageSerializer.KnownTypes.Count);
        foreach (var message in all)
        {
            var text = IiiMessageSerializer.SerializeToString(message);
            var back = IiiMessageSerializer.Parse(text)!;
            Assert.Equal(message.GetType(), back.GetType());
            Assert.Equal(text, IiiMessageSerializer.SerializeToString(back));
        }
    }

    // ---- frames the engine would drop, and so do we -----------------------------------------------------------------

    [Theory]
    [InlineData("""{"type":"nope"}""", "unknown message type")]
    [InlineData("""{"type":"invokefunction","invocation_id":"not-a-uuid","function_id":"f","data":{}}""", "invocation_id")]
    [InlineData("""{"type":"invokefunction","function_id":"f"}""", "data")]
    [InlineData("""{"type":"registertrigger","id":"t","trigger_type":"http","function_id":"f"}""", "config")]
    [InlineData("""{"type":"registertriggertype","id":"t"}""", "description")]
    [InlineData("""{"type":"invocationresult","invocation_id":"11111111-1111-1111-1111-111111111111","function_id":"f","error":"boom"}""", "error")]
    [InlineData("""{"worker_id":"w"}""", "type")]
    [InlineData("""[1,2]""", "not an object")]
    [InlineData("""{"type":"ping" """, "")]
    public void Undecodable_frames_are_rejected(string json, string reasonContains)
    {
        Assert.True(Rejects(json, out var error));
        Assert.Contains(reasonContains, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Empty_frames_are_ignored(string json)
    {
        Assert.True(Rejects(json, out var error));
        Assert.Equal("empty frame", error);
    }
}
