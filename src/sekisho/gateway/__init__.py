"""The SMTP content filter and relay (the only process that speaks SMTP), and durability."""
