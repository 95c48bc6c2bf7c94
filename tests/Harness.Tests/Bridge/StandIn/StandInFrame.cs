using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>A frame the stand-in received, with the connection it came on.</summary>
public sealed record StandInFrame(string WorkerId, int Sequence, JsonObject Frame)
{
    public string Type => Frame["type"]?.GetValue<string>() ?? "";

    public string? FunctionId => Frame["function_id"]?.GetValue<string>();
}
