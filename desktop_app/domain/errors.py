"""The base of every error the domain raises on purpose."""


class DomainError(Exception):
    """A domain rule refused the input.

    ``str(err)`` is a Chinese message for the user that says what is wrong and what to do
    next, so a caller can show it as it is.
    """
