"""Pure domain logic: no database, no console, no clock."""
