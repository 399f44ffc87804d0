"""Renderers: what each command shows people (Rich tables) and scripts (JSON, CSV)."""
