"""After a mis-send: the facts of what left (from the store), whether a report to the
Personal Information Protection Commission is due and by when, and the report's items.
Knows nothing of SMTP or HTTP."""

from sekisho.incident.assessment import Assessment, assess
from sekisho.incident.facts import IncidentFacts, MessageLeft, RecipientState, gather

__all__ = ["Assessment", "IncidentFacts", "MessageLeft", "RecipientState", "assess", "gather"]
