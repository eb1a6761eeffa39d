"""congso: the digital gateway of a Vietnamese province (Cổng số)."""
