using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge;

/// <summary>What a Node peer printed: one JSON object per line.</summary>
internal sealed record NodeResult(int ExitCode, IReadOnlyList<JsonObject> Lines, string Stderr)
{
    public void AssertSucceeded()
    {
        var output = new StringBuilder().AppendJoin('\n', Lines.Select(l => l.ToJsonString())).ToString();
        Assert.True(ExitCode == 0, $"node exited with {ExitCode}\nstdout:\n{output}\nstderr:\n{Stderr}");
    }
}
