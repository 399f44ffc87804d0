"""Use cases: each opens one transaction, asks the domain what is allowed, writes, returns plain results."""
