"""PostGuard companion: checks social-media drafts against a policy pack on 127.0.0.1."""

__version__ = "0.1.0"
