namespace Harness.Tests.Providers.Fakes;

/// <summary>What the fake upstream answers: a plain body, an SSE stream written frame by frame, or a stream that hangs.</summary>
public sealed record FakeResponse
{
    public int Status { get; init; } = 200;
    public string ContentType { get; init; } = "application/json";
    public string? Body { get; init; }
    public IReadOnlyList<string>? Frames { get; init; }

    /// <summary>After the frames, keep the response open until the client goes away.</summary>
    public bool HangAfterFrames { get; init; }

    public static FakeResponse Json(string body, int status = 200) => new() { Status = status, Body = body };

    public static FakeResponse Error(int status, string body) => new() { Status = status, Body = body };

    public static FakeResponse Sse(IReadOnlyList<string> frames) => new() { ContentType = "text/event-stream", Frames = frames };

    public static FakeResponse SseThenHang(IReadOnlyList<string> frames) => Sse(frames) with { HangAfterFrames = true };
}
