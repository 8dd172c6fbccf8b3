using CallPipeline.Tests.AppHost;
using Microsoft.Playwright;

namespace CallPipeline.Tests.OperatorConsole.Support;

/// <summary>
/// Debian's Chromium (the <c>chromium</c> package, which the test build installs) driven by Playwright, one browser per
/// test class; each page gets its own context, so its own cookies. Times are shown in Asia/Jerusalem, as an operator in
/// Israel sees them.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string OperatorTimeZone = "Asia/Jerusalem";
    public static readonly (int Width, int Height) Desktop = (1280, 900);
    public static readonly (int Width, int Height) Phone = (390, 844);

    /// <summary>The README shows these: the test run writes them.</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(RepositoryPaths.Root, "docs", "console");

    private static readonly float ActionTimeout = (float)TimeSpan.FromSeconds(30).TotalMilliseconds;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CALLPIPELINE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // Root (CI) needs no sandbox; the player may start without a click.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    public async Task<IPage> NewPageAsync(string baseUrl, (int Width, int Height)? viewport = null)
    {
        var (width, height) = viewport ?? Desktop;
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            TimezoneId = OperatorTimeZone,
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(ActionTimeout);
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string operatorKey, string returnTo = "/")
    {
        await page.GotoAsync(returnTo);
        await page.GetByLabel("Operator key").FillAsync(operatorKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("header.top-bar").WaitForAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
