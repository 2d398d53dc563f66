"""Rule-based extraction from Swedish press releases: one module per kind of fact."""
