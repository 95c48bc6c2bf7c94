using Harness.Functions;
using Harness.Messages;
using Harness.Turns;

namespace Harness.Tests.Turns;

public sealed class BatchHelpersTests
{
    private static AgentMessage Assistant(params ContentBlock[] blocks) =>
        AgentMessage.EmptyAssistant("p", "m", 1) with { Content = blocks };

    [Fact]
    public void Planner_unwraps_agent_trigger_calls_in_assistant_order()
    {
        var plan = BatchPlanner.Plan(Assistant(
            ContentBlock.OfText("thinking aloud"),
            ContentBlock.OfFunctionCall("1", "agent_trigger", WireJson.Parse("""{"function":"a::b","payload":{"x":1}}""")),
            ContentBlock.OfFunctionCall("2", "agent_trigger", WireJson.Parse("""{"function":"c::d"}"""))));

        Assert.Equal(["1", "2"], plan.Select(p => p.Call.Id));
        Assert.All(plan, p => Assert.Equal(CallRoutes.Dispatch, p.Route));
        Assert.Equal("a::b", plan[0].Call.FunctionId);
        Assert.Equal(1, plan[0].Call.Arguments.GetProperty("x").GetInt32());
        Assert.Equal(JsonValueKind.Object, plan[1].Call.Arguments.ValueKind);
    }

    [Theory]
    [InlineData("bash", """{"function":"a::b"}""")]
    [InlineData("agent_trigger", """{"function":""}""")]
    [InlineData("agent_trigger", """{"payload":{}}""")]
    [InlineData("agent_trigger", """{"function":42}""")]
    public void Calls_that_are_not_usable_agent_triggers_become_missing_function_results(string tool, string args)
    {
        var plan = Assert.Single(BatchPlanner.Plan(Assistant(ContentBlock.OfFunctionCall("1", tool, WireJson.Parse(args)))));

        Assert.Equal(CallRoutes.Synthetic, plan.Route);
        Assert.Equal("missing_function", plan.Result!.Details!.Value.GetProperty("error").GetString());
        Assert.True(plan.Result.IsErrorResult);
    }

    [Fact]
    public void Routing_envelope_adds_the_four_routing_keys_over_agent_supplied_ones()
    {
        var call = new FunctionCall { Id = "c1", FunctionId = "a::b", Arguments = WireJson.Parse("""{"path":"/tmp","session_id":"spoofed"}""") };

        var wrapped = RoutingEnvelope.Wrap(call, "s1");

        Assert.Equal("/tmp", wrapped.GetProperty("path").GetString());
        Assert.Equal("s1", wrapped.GetProperty("session_id").GetString());
        Assert.Equal("c1", wrapped.GetProperty("function_call_id").GetString());
        Assert.Equal("a::b", wrapped.GetProperty("function_id").GetString());
        Assert.Equal("c1", wrapped.GetProperty("function_call").GetProperty("id").GetString());
    }

    [Fact]
    public void Routing_envelope_wraps_a_non_object_payload_as_arguments()
    {
        var wrapped = RoutingEnvelope.Wrap(new FunctionCall { Id = "c", FunctionId = "f", Arguments = WireJson.Parse("[1,2]") }, "s");

        Assert.Equal(2, wrapped.GetProperty("arguments").GetArrayLength());
    }

    [Fact]
    public void A_value_with_a_content_array_is_taken_as_a_function_result()
    {
        var result = FunctionOutcomes.FromValue(WireJson.Parse("""{"content":[{"type":"text","text":"hi"}],"details":{"n":1},"terminate":true}"""));

        Assert.Equal("hi", result.Content[0].Text);
        Assert.Equal(1, result.Details!.Value.GetProperty("n").GetInt32());
        Assert.True(result.Terminate);
    }

    [Fact]
    public void Any_other_value_becomes_its_text_with_the_value_as_details()
    {
        var text = FunctionOutcomes.FromValue(WireJson.Parse("\"plain\""));
        var obj = FunctionOutcomes.FromValue(WireJson.Parse("""{"a":1}"""));

        Assert.Equal("plain", text.Content[0].Text);
        Assert.Equal("""{"a":1}""", obj.Content[0].Text);
        Assert.False(obj.Terminate);
    }

    [Fact]
    public void Not_found_gives_a_hint_and_handler_errors_keep_their_structured_code()
    {
        var missing = FunctionOutcomes.FromException("shell::nope", new FunctionNotFoundException("shell::nope"));
        var skill = FunctionOutcomes.FromException("skills/read.md", new FunctionNotFoundException("skills/read.md"));
        var structured = FunctionOutcomes.FromException("a::b", new FunctionInvocationException("invocation_failed", """{"code":"E_PATH","message":"no such file"}"""));
        var plain = FunctionOutcomes.FromException("a::b", new FunctionInvocationException("timeout", "took too long"));
        var other = FunctionOutcomes.FromException("a::b", new IOException("socket closed"));

        Assert.Equal("function_not_found", missing.Details!.Value.GetProperty("error").GetString());
        Assert.Contains("engine::functions::list", missing.Details.Value.GetProperty("hint").GetString());
        Assert.Contains("not a function id", skill.Details!.Value.GetProperty("hint").GetString());
        Assert.Equal("handler_error", structured.Details!.Value.GetProperty("error").GetString());
        Assert.Equal("E_PATH", structured.Details.Value.GetProperty("code").GetString());
        Assert.Equal("timeout", plain.Details!.Value.GetProperty("code").GetString());
        Assert.Equal("gate_unavailable", other.Details!.Value.GetProperty("denied_by").GetString());
        Assert.Equal("trigger_failed: socket closed", other.Details.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public void Coalescer_merges_same_type_deltas_and_flushes_before_other_events()
    {
        var time = new ManualTime();
        var coalescer = new DeltaCoalescer(TimeSpan.FromMilliseconds(60), 4096, time);
        AssistantMessageEvent Delta(string type, string d) => new() { Type = type, Delta = d };

        var emitted = new List<AssistantMessageEvent>();
        emitted.AddRange(coalescer.Add(Delta(StreamEventTypes.TextDelta, "a")));
        emitted.AddRange(coalescer.Add(Delta(StreamEventTypes.TextDelta, "b")));
        emitted.AddRange(coalescer.Add(Delta(StreamEventTypes.ThinkingDelta, "t")));
        emitted.AddRange(coalescer.Add(new AssistantMessageEvent { Type = StreamEventTypes.Usage }));
        time.Advance(TimeSpan.FromMilliseconds(100));
        emitted.AddRange(coalescer.Add(Delta(StreamEventTypes.TextDelta, "c")));
        time.Advance(TimeSpan.FromMilliseconds(100));
        emitted.AddRange(coalescer.Add(Delta(StreamEventTypes.TextDelta, "d")));

        Assert.Equal(["text_delta:ab", "thinking_delta:t", "usage:", "text_delta:cd"], emitted.Select(e => $"{e.Type}:{e.Delta}"));
        Assert.Null(coalescer.Flush());
    }

    [Fact]
    public void Coalescer_flushes_at_the_size_limit()
    {
        var coalescer = new DeltaCoalescer(TimeSpan.FromHours(1), 4, new ManualTime());

        var first = coalescer.Add(new AssistantMessageEvent { Type = StreamEventTypes.TextDelta, Delta = "ab" }).ToList();
        var second = coalescer.Add(new AssistantMessageEvent { Type = StreamEventTypes.TextDelta, Delta = "cd" }).ToList();

        Assert.Empty(first);
        Assert.Equal("abcd", Assert.Single(second).Delta);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
