"""The ``sekisho`` commands."""
