using Harness.Tests.Infrastructure;

namespace Harness.Tests.Sessions.Manager;

/// <summary>One PostgreSQL-backed cluster shared by the session-manager tests that need nothing special.</summary>
public sealed class SessionManagerFixture : IAsyncLifetime
{
    public HarnessCluster H { get; private set; } = null!;

    public ManagerFunctions F { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        H = await HarnessCluster.StartAsync(settings: new Dictionary<string, string?> { ["Harness:Sessions:Attachments:MaxBytes"] = "8" });
        F = new ManagerFunctions(H.Grains);
    }

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

/// <summary>Bad input to the C4 session-manager functions is refused before anything is stored, naming the field.</summary>
public sealed class SessionManagerInputTests(SessionManagerFixture fixture) : IClassFixture<SessionManagerFixture>
{
    private ManagerFunctions F => fixture.F;

    [Theory]
    [InlineData("session::set-status", """{"session_id":"SID"}""", "status")]
    [InlineData("session::set-status", """{"session_id":"SID","status":"busy"}""", "status")]
    [InlineData("session::append", """{"session_id":"SID"}""", "message")]
    [InlineData("session::append", """{"session_id":"SID","message":{"role":"user","content":[],"timestamp":1},"custom":{"custom_type":"x","data":{}}}""", "message")]
    [InlineData("session::append", """{"session_id":"SID","custom":{"data":{}}}""", "custom.custom_type")]
    [InlineData("session::append", """{"session_id":"SID","parent_id":"nope","custom":{"custom_type":"x","data":{}}}""", "parent_id")]
    [InlineData("session::messages", """{"session_id":"SID","cursor":"!!garbage!!"}""", "cursor")]
    [InlineData("session::messages", """{"session_id":"SID","limit":0}""", "limit")]
    [InlineData("session::messages", """{"session_id":"SID","limit":"ten"}""", "limit")]
    [InlineData("session::set-draft", """{"session_id":"SID","draft":"x","attachment_ids":["a_404"]}""", "attachment_ids[0]")]
    [InlineData("session::put-attachment", """{"session_id":"SID","name":"a.txt","mime":"text/plain","data":"not base64!!"}""", "data")]
    [InlineData("session::put-attachment", """{"session_id":"SID","name":"   ","mime":"text/plain","data":"aGVsbG8="}""", "name")]
    [InlineData("session::put-attachment", """{"session_id":"SID","name":"a.txt","mime":"text/plain"}""", "data")]
    [InlineData("session::get-attachment", """{"session_id":"SID"}""", "attachment_id")]
    [InlineData("session::ensure", """{"session_id":"SID","metadata":[1]}""", "metadata")]
    [InlineData("session::set-meta", """{"session_id":"SID","metadata":"x"}""", "metadata")]
    [InlineData("session::list", """{"order":"sideways"}""", "order")]
    [InlineData("session::list", """{"limit":0}""", "limit")]
    [InlineData("session::list", """{"cursor":"garbage"}""", "cursor")]
    [InlineData("session::get", """{}""", "session_id")]
    [InlineData("context::compact", """{"model":{"id":"m"}}""", "messages")]
    [InlineData("context::compact", """{"messages":[]}""", "model.id")]
    [InlineData("context::compact", """{"messages":[{"content":[]}],"model":{"id":"m"}}""", "messages[0].role")]
    public async Task Bad_input_is_invalid_payload_naming_the_field(string function, string payload, string field)
    {
        var sid = await F.Ensure();
        await F.AppendUsers(sid, 1);

        var error = await F.Fails(function, payload.Replace("SID", sid));

        Assert.Equal("invalid_payload", error.Code);
        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("session::set-meta", """{"session_id":"SID","title":"x"}""")]
    [InlineData("session::set-status", """{"session_id":"SID","status":"working"}""")]
    [InlineData("session::set-draft", """{"session_id":"SID","draft":"x"}""")]
    [InlineData("session::append", """{"session_id":"SID","custom":{"custom_type":"x","data":{}}}""")]
    [InlineData("session::messages", """{"session_id":"SID"}""")]
    [InlineData("session::put-attachment", """{"session_id":"SID","name":"a.txt","mime":"text/plain","data":"aGVsbG8="}""")]
    [InlineData("session::delete-attachment", """{"session_id":"SID","attachment_id":"a_1"}""")]
    public async Task A_mutation_or_path_read_of_an_unknown_session_is_session_not_found(string function, string payload)
    {
        var error = await F.Fails(function, payload.Replace("SID", $"console-{Guid.NewGuid():N}"));

        Assert.Equal("session/not_found", error.Code);
    }

    [Fact]
    public async Task Reads_of_unknown_sessions_and_attachments_answer_null_and_delete_answers_false()
    {
        var unknown = $"console-{Guid.NewGuid():N}";
        var sid = await F.Ensure();

        Assert.Null(await F.Call("session::get", $$$"""{"session_id":"{{{unknown}}}"}"""));
        Assert.Null(await F.Call("session::get-attachment", $$$"""{"session_id":"{{{unknown}}}","attachment_id":"a_1"}"""));
        Assert.Null(await F.Call("session::get-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"a_404"}"""));
        Assert.False((await F.Ok("session::delete", $$$"""{"session_id":"{{{unknown}}}"}"""))["deleted"]!.GetValue<bool>());
        Assert.False((await F.Ok("session::delete-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"a_404"}"""))["deleted"]!.GetValue<bool>());
    }
}
