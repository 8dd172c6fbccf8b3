using CallPipeline.Hosting;
using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Orchestration;
using Microsoft.Extensions.Configuration;

namespace CallPipeline.Tests.Hosting;

public sealed class ParameterResolverTests
{
    [Fact]
    public void Configuration_wins_over_generated_and_local_defaults()
    {
        var configured = new ParameterResource("token", secret: true) { Generate = new GenerateParameterDefault(), LocalDefault = () => "local" };

        ParameterResolver.Resolve([configured], Configuration(("Parameters:token", "from-config")), dataDirectory: null);

        Assert.Equal("from-config", configured.Value);
    }

    [Fact]
    public void Generated_secrets_have_the_requested_length_and_no_special_characters_when_asked()
    {
        var password = new ParameterResource("cache-password", secret: true) { Generate = new GenerateParameterDefault(22, Special: false) };

        ParameterResolver.Resolve([password], Configuration(), dataDirectory: null);

        Assert.Equal(22, password.Value.Length);
        Assert.All(password.Value, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' in a password meant for StackExchange.Redis"));
    }

    [Fact]
    public void Generated_secrets_are_kept_with_a_named_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"callpipeline-params-{Guid.NewGuid():N}");
        try
        {
            var first = new ParameterResource("postgres-password", secret: true) { Generate = new GenerateParameterDefault() };
            var second = new ParameterResource("postgres-password", secret: true) { Generate = new GenerateParameterDefault() };

            ParameterResolver.Resolve([first], Configuration(), directory);
            ParameterResolver.Resolve([second], Configuration(), directory);

            Assert.Equal(first.Value, second.Value);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "parameters.json")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_parameter_without_any_value_fails_with_how_to_set_it()
    {
        var missing = new ParameterResource("voice-public-base-url", secret: false);

        var error = Assert.Throws<InvalidOperationException>(() => ParameterResolver.Resolve([missing], Configuration(), dataDirectory: null));

        Assert.Contains("voice-public-base-url", error.Message);
        Assert.Contains("Parameters__<name>", error.Message);
    }

    [Theory]
    [InlineData("voice", true)]
    [InlineData("webhook-receiver", true)]
    [InlineData("a1", true)]
    [InlineData("1voice", false)]
    [InlineData("voice-", false)]
    [InlineData("web--hook", false)]
    [InlineData("voice_gateway", false)]
    public void Resource_names_follow_Aspires_rules(string name, bool valid)
    {
        var create = () => new ParameterResource(name, secret: false);

        if (valid)
        {
            Assert.Equal(name, create().Name);
        }
        else
        {
            Assert.Throws<ArgumentException>(create);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
