using CallPipeline.OperatorConsole.OperatorApi;
using CallPipeline.OperatorConsole.Sessions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace CallPipeline.OperatorConsole.Apis;

public static class RecordingApi
{
    /// <summary>
    /// <c>GET /calls/{callSid}/recording</c>: the call's recording for the page's audio player. A browser's
    /// <c>&lt;audio&gt;</c> cannot send the operator key, so the console forwards the request to the operator API with
    /// the session's key added; YARP passes the Range header on and streams the answer back (206 and all), so seeking
    /// works without the console holding the file.
    /// </summary>
    public static IEndpointRouteBuilder MapRecordingApi(this IEndpointRouteBuilder app)
    {
        var operatorApi = app.ServiceProvider.GetRequiredService<IOptions<ConsoleOptions>>().Value.OperatorApiUrl;
        app.MapForwarder("/calls/{callSid}/recording", operatorApi.ToString(), transforms =>
        {
            transforms.AddPathRouteValues("/api/calls/{callSid}/recording");
            // The console's own session stays with the console.
            transforms.AddRequestHeaderRemove("Cookie");
            transforms.AddRequestTransform(context =>
            {
                if (OperatorSession.OperatorKey(context.HttpContext.User) is { } operatorKey)
                {
                    context.ProxyRequest.Headers.Add(OperatorApiClient.ApiKeyHeader, operatorKey);
                }
                return ValueTask.CompletedTask;
            });
        }).RequireAuthorization();
        return app;
    }
}
