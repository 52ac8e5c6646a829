"""Carrying out a verdict on a message's bytes: stamping, Bcc, encryption, notices.
Knows nothing of SMTP sessions."""
