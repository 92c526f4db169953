"""Evidence of a period (R5-R9): the facts the secretary records, and the rules that turn them into allowed scores."""
