using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.OperatorConsole.Apis;

public static class AccountApi
{
    /// <summary>
    /// <c>POST /account/sign-out</c>: ends the session. Signing in is the <c>/sign-in</c> page, which checks the key
    /// with the operator API first. The session cookie is SameSite=Strict, so another site cannot post here.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/sign-out", (Delegate)SignOutAsync).RequireAuthorization();
        return app;
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync();
        return TypedResults.LocalRedirect("/sign-in");
    }
}
