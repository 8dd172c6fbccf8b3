using CallPipeline.Voice.MediaStreams;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallPipeline.Voice.Apis;

public static class MediaStreamApi
{
    /// <summary><c>GET /twilio/media/{token}</c>: Twilio's Media Streams WebSocket for one call.</summary>
    public static WebApplication MapMediaStreamApi(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.Map(TwilioRoutes.MediaStream, ConnectAsync).WithName("TwilioMediaStream");
        return app;
    }

    private static async Task<Results<EmptyHttpResult, BadRequest<string>, StatusCodeHttpResult>> ConnectAsync(
        string token, HttpContext context, MediaStreamHandler handler)
    {
        // The path carries the call's stream token: the request span keeps the route instead. Set here, once the route
        // matched, because every tracer in the process enriches the request at its start and the last one would win.
        context.Features.Get<IHttpActivityFeature>()?.Activity.SetTag("url.path", TwilioRoutes.MediaStream);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest("This endpoint speaks Twilio Media Streams over WebSocket.");
        }
        if (!handler.IsUpgradeAllowed(context))
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await handler.RunAsync(socket, token, context.RequestAborted);
        return TypedResults.Empty;
    }
}
