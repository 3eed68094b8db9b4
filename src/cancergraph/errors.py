"""The one base class for errors a user can fix: bad input, usage or configuration.

The CLI reports them on one line with exit code 2; the HTTP API maps them to 4xx.
"""


class UserError(Exception):
    """Something the user asked for cannot be done as asked; the message says why."""
