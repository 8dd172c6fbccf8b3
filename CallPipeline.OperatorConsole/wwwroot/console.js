// The operator's time zone, so the console shows times on the operator's clock (OperatorTimeZone).
window.callPipelineConsole = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};
