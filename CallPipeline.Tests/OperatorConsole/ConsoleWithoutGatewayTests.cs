using System.Diagnostics;
using System.Reflection;
using CallPipeline.Tests.AppHost;
using CallPipeline.Tests.OperatorConsole.Support;
using CallPipeline.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallPipeline.Tests.OperatorConsole;

/// <summary>The console as its own process with its operator API down (nothing listens where it points).</summary>
[Trait("Category", "Browser")]
public sealed class ConsoleWithoutGatewayTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _url = $"http://127.0.0.1:{FreePort.Next()}";
    private Process? _console;

    [Fact]
    public async Task Signing_in_while_the_gateway_is_down_says_so_and_stays_on_the_sign_in_page()
    {
        var page = await browser.NewPageAsync(_url);
        await page.GotoAsync("/");

        await page.GetByLabel("Operator key").FillAsync("any-key-at-all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The standard resilience handler retries a refused connection a few times before the page says so.
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The voice gateway is not answering", new() { Timeout = 60_000 });
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "callpipeline-console");
    }

    public async Task InitializeAsync()
    {
        var project = Path.GetDirectoryName(new Projects.CallPipeline_OperatorConsole().ProjectPath)!;
        var configuration = typeof(ConsoleWithoutGatewayTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var startInfo = new ProcessStartInfo(AppHostProcess.DotnetHost(), [Path.Combine(project, "bin", configuration, "net10.0", "CallPipeline.OperatorConsole.dll")])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_URLS"] = _url;
        startInfo.Environment["Console__OperatorApiUrl"] = $"http://127.0.0.1:{FreePort.Next()}";
        _console = Process.Start(startInfo)!;
        _console.OutputDataReceived += (_, _) => { };
        _console.ErrorDataReceived += (_, _) => { };
        _console.BeginOutputReadLine();
        _console.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    return (await http.GetAsync($"{_url}/alive")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            alive => alive, "the console answers /alive", StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_console is not null)
        {
            _console.Kill(entireProcessTree: true);
            await _console.WaitForExitAsync();
            _console.Dispose();
        }
    }
}
