using System.Text.Json;
using Harness.Approvals;
using Harness.Serialization;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Grain storage serialises state with System.Text.Json: the settings record must round-trip.</summary>
public sealed class ApprovalSettingsSerializationTests
{
    public static TheoryData<string> OptionSets => ["default", "web", "wire"];

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Settings_round_trip_through_system_text_json(string optionSet)
    {
        var options = optionSet switch
        {
            "web" => new JsonSerializerOptions(JsonSerializerDefaults.Web),
            "wire" => WireJson.Options,
            _ => new JsonSerializerOptions(),
        };
        var settings = new ApprovalSettings
        {
            Mode = ApprovalModes.Auto,
            ModeSetAt = 1_760_000_000_123,
            AlwaysAllow = [new ApprovalGrant { FunctionId = "shell::exec", GrantedAt = 5, GrantedBy = "user_click" }],
            ApprovedAlways = [new ApprovalGrant { FunctionId = "a::b", GrantedAt = 6 }],
        };

        var json = JsonSerializer.Serialize(settings, options);
        var back = JsonSerializer.Deserialize<ApprovalSettings>(json, options)!;

        Assert.Contains("\"always_allow\"", json);
        Assert.Contains("\"mode_set_at\":1760000000123", json);
        Assert.Equal(settings.Mode, back.Mode);
        Assert.Equal(settings.ModeSetAt, back.ModeSetAt);
        Assert.Equal(settings.AlwaysAllow, back.AlwaysAllow);
        Assert.Equal(settings.ApprovedAlways, back.ApprovedAlways);
    }

    [Fact]
    public void Settings_round_trip_through_the_orleans_system_text_json_storage_serializer()
    {
        var serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        var settings = new ApprovalSettings
        {
            Mode = ApprovalModes.Full,
            ModeSetAt = 42,
            AlwaysAllow = [new ApprovalGrant { FunctionId = "a::b", GrantedAt = 1 }],
        };

        var back = serializer.Deserialize<ApprovalSettings>(serializer.Serialize(settings))!;

        Assert.Equal(settings.Mode, back.Mode);
        Assert.Equal(settings.ModeSetAt, back.ModeSetAt);
        Assert.Equal(settings.AlwaysAllow, back.AlwaysAllow);
        Assert.Empty(back.ApprovedAlways);
    }

    [Fact]
    public void Partial_stored_record_reads_over_defaults()
    {
        var back = JsonSerializer.Deserialize<ApprovalSettings>("""{"always_allow":[{"function_id":"x"}]}""")!;

        Assert.Equal(ApprovalModes.Manual, back.Mode);
        Assert.Equal(0, back.ModeSetAt);
        Assert.Empty(back.ApprovedAlways);
        Assert.Equal("user_click", Assert.Single(back.AlwaysAllow).GrantedBy);
    }
}
