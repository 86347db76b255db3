"""Checking people in at the door: by QR code, typed short code or the name list."""
