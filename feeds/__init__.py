"""Feed ingestion: fetching, parsing, normalising, de-duplicating and scheduling."""
