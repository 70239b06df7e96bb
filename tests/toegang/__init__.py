"""Tests of the pure authentication building blocks in app.services.toegang."""
