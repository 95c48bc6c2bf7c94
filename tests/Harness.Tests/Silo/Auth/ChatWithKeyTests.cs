using Harness.Tests.Infrastructure;

namespace Harness.Tests.Silo.Auth;

/// <summary>The terminal chat sends the key in <c>HARNESS_API_KEY</c> on its calls and on its event stream.</summary>
public sealed class ChatWithKeyTests(ApiKeySiloFixture silo) : IClassFixture<ApiKeySiloFixture>
{
    [Fact]
    public async Task Chat_with_a_key_runs_a_turn_and_streams_its_answer()
    {
        await using var chat = ChatCommandTests.Chat.Start(silo.Settings.HttpPort, Runs.NewSession(), "auth-text", silo.ChatKey);
        await chat.WaitForAsync("harness chat: session");

        await chat.SendAsync("hello");
        await chat.WaitForAsync("assistant> hello with a key");
        await chat.WaitForAsync("[done]");
        await chat.SendAsync("/quit");
        Assert.Equal(0, await chat.ExitCodeAsync());
    }

    [Fact]
    public async Task Chat_without_a_key_is_told_to_set_one()
    {
        await using var chat = ChatCommandTests.Chat.Start(silo.Settings.HttpPort, Runs.NewSession(), "auth-text");

        await chat.WaitForAsync("set HARNESS_API_KEY");
    }
}
