"""The people's side: approvers, senders and auditors (FastAPI, server-rendered)."""
