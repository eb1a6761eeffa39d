"""Forms of the back office: they check the shape of what a person typed; the rules belong to the
services, whose Vietnamese messages the pages show next to the fields."""
