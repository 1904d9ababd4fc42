"""Forms of the candidates app, one module per area like the views."""
