namespace Harness.Tests.Infrastructure;

/// <summary>Builders for scripted-provider JSON (one round per model answer).</summary>
public static class Scripts
{
    public static string Rounds(params string[] rounds) => $$"""{"rounds":[{{string.Join(",", rounds.Select(r => $$"""{"events":[{{r}}]}"""))}}]}""";

    public static string Text(string text) => $$"""{"type":"text","text":{{System.Text.Json.JsonSerializer.Serialize(text)}}}""";

    public static string Call(string id, string function, string payloadJson = "{}") =>
        $$"""{"type":"function_call","id":"{{id}}","function":"{{function}}","payload":{{payloadJson}}}""";

    public static string Stop(string reason) => $$"""{"type":"stop","stop_reason":"{{reason}}"}""";

    public static string Usage(int input, int output) => $$"""{"type":"usage","input":{{input}},"output":{{output}}}""";

    public static string Throw(string message, bool transient, int? times = null) =>
        $$"""{"type":"throw","message":"{{message}}","transient":{{(transient ? "true" : "false")}}{{(times is null ? "" : $",\"times\":{times}")}}}""";

    public static string Error(string message, string kind) => $$"""{"type":"error","message":"{{message}}","error_kind":"{{kind}}"}""";

    public const string Hang = """{"type":"hang"}""";
}
