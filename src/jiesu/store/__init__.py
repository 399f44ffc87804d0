"""The only layer that knows SQL: tables, the engine and its pragmas, schema upgrades, queries."""
