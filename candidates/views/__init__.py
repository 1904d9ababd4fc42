"""Views of the candidates app, one module per area: registry, certification, imports, notices."""
