"""VK ID: sign-in screens for the educational profile and the OAuth 2.1 + PKCE endpoints."""

from .routes import ROUTES

__all__ = ["ROUTES"]
