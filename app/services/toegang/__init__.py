"""Authentication building blocks: passwords, TOTP, signed tokens, login throttle (no DB)."""
