"""Free-text questions -> topics: normalization, an index built once per rule book, and the
decision to answer, suggest or admit not knowing."""
