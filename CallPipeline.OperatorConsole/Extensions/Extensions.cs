using CallPipeline.OperatorConsole.OperatorApi;
using CallPipeline.OperatorConsole.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CallPipeline.OperatorConsole.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddRazorComponents().AddInteractiveServerComponents();

        // The operator key is the only credential: entered once, kept in the encrypted, HTTP-only session cookie
        // (ASP.NET Core Data Protection), never in a URL or a page.
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/sign-in";
                cookie.Cookie.Name = OperatorSession.CookieName;
                cookie.Cookie.HttpOnly = true;
                // Strict: no other site can make the browser send it, which is what protects the sign-out POST.
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = builder.Configuration.GetValue($"{ConsoleOptions.SectionName}:SessionLifetime", ConsoleOptions.DefaultSessionLifetime);
                cookie.SlidingExpiration = true;
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();

        // The voice gateway's operator API, found through service discovery ("voice" in the AppHost).
        services.AddHttpClient<OperatorApiClient>((provider, http) =>
            http.BaseAddress = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.OperatorApiUrl);
        services.AddScoped<OperatorTimeZone>();
        services.AddScoped<NewWebhookSecrets>();

        services.AddHttpForwarderWithServiceDiscovery();
    }
}
