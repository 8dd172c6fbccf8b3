using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CallPipeline.OperatorConsole.Sessions;

/// <summary>A signed-in operator: the operator key they entered, held in the session cookie's encrypted ticket.</summary>
public static class OperatorSession
{
    public const string CookieName = "callpipeline-console";
    private const string OperatorKeyClaim = "callpipeline:operator-key";

    public static ClaimsPrincipal CreatePrincipal(string operatorKey) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(OperatorKeyClaim, operatorKey)], CookieAuthenticationDefaults.AuthenticationScheme));

    public static string? OperatorKey(ClaimsPrincipal user) => user.FindFirst(OperatorKeyClaim)?.Value;
}
