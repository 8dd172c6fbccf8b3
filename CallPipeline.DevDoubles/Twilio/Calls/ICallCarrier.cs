namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>
/// What carries a placed call from here on (the call simulator): the REST API hands it calls it creates without
/// knowing how a call is acted out.
/// </summary>
public interface ICallCarrier
{
    void Place(SimulatedCall call);
}
