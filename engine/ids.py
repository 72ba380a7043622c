"""Row ids as the store can hold them (what pages and the CLI may check without the models)."""

#: the largest id an ``Integer`` primary key holds on PostgreSQL (a larger one is no row, not an error)
MAX_ROW_ID = 2**31 - 1


def is_row_id(value: object) -> bool:
    """Whether ``value`` can be the id of a row (a positive integer within ``Integer``'s range)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID
