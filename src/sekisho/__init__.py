"""Sekisho (関所): an outbound-mail data-loss-prevention gateway and scanner for Japanese
personal data. Layers, each a package, import downward only:
``extract`` → ``detect`` → ``scan`` → (``policy`` → ``actions`` → ``gateway`` / ``web``),
with ``store`` underneath and ``cli`` on top.
"""

__version__ = "0.1.0"
