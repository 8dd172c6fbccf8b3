using CallPipeline.OperatorConsole.Apis;
using CallPipeline.OperatorConsole.Components;
using CallPipeline.OperatorConsole.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAccountApi();
app.MapRecordingApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
