"""What the simulator and its clients agree on over the wire: kept apart so a client imports no server code."""

PREFIX = "/_sim/v1"  # the control plane, on every host
SESSION_HEADER = "X-Sim-Session"  # the test session a browser's or client's request belongs to
TOKEN_ENV = "SFERUM_SIM_ADMIN_TOKEN"  # the control plane's token, when it is locked
